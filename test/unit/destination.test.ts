// Where the confirmation says a request goes: CometAPI, this machine (the simulator), or another host.
import * as assert from 'node:assert/strict';
import { destinationOf } from '../../src/core/destination';

describe('destinationOf (the confirmation says where the request goes)', () => {
  it('names CometAPI for its hosts, with the host', () => {
    assert.deepEqual(destinationOf('https://api.cometapi.com'), { kind: 'cometapi', host: 'api.cometapi.com' });
    assert.equal(destinationOf('https://cometapi.com/v1').kind, 'cometapi');
  });

  it('knows loopback addresses are this machine (the simulator), whatever the port', () => {
    for (const url of ['http://127.0.0.1:40123', 'http://localhost:8080', 'http://[::1]:9000']) {
      assert.equal(destinationOf(url).kind, 'thisMachine', url);
    }
    assert.equal(destinationOf('http://127.0.0.1:40123').host, '127.0.0.1:40123');
  });

  it('calls anything else another host, not CometAPI (a look-alike name included)', () => {
    assert.deepEqual(destinationOf('https://gateway.example.com'), { kind: 'otherHost', host: 'gateway.example.com' });
    assert.equal(destinationOf('https://notcometapi.com').kind, 'otherHost');
  });
});
