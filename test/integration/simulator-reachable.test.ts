// The extension host reaches the simulator the runner started, with the key it handed over.
import * as assert from 'node:assert/strict';
import { testEnv } from './helpers';

describe('simulator', () => {
  it('is handed to the extension host through the environment', () => {
    for (const [name, value] of Object.entries({
      SEEDANCE_API_BASE_URL: testEnv.apiBaseUrl,
      COMETAPI_KEY: testEnv.apiKey,
      SEEDANCE_SIM_CONTROL_URL: testEnv.simControlUrl,
    })) {
      assert.ok(value, `${name} is not set in the extension host`);
    }
    assert.equal(new URL(testEnv.apiBaseUrl).hostname, '127.0.0.1', 'tests talk to the loopback simulator only');
  });

  it('answers GET /api/models from the extension host', async () => {
    const res = await fetch(new URL('/api/models', testEnv.apiBaseUrl), {
      headers: { authorization: `Bearer ${testEnv.apiKey}` },
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.text();
    assert.equal(res.status, 200, body);
    assert.doesNotThrow(() => JSON.parse(body), `not JSON: ${body.slice(0, 200)}`);
  });
});
