// The pricing additions to the webview protocols: the Generate panel's "Set price…" message and the
// spending view's messages, parsed strictly like every other message from a webview.
import { strict as assert } from 'node:assert';
import { parseWebviewMessage } from '../../src/shared/protocol';
import { parseSpendingMessage } from '../../src/shared/spendingProtocol';

describe('pricing protocol: messages from the webviews', () => {
  it('the panel may ask to open the price setting, with nothing else in the message', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'openPriceSettings' }), { ok: true, value: { type: 'openPriceSettings' } });
    assert.equal(parseWebviewMessage({ type: 'openPriceSettings', key: 'apiBaseUrl' }).ok, false);
    assert.equal(parseWebviewMessage(JSON.parse('{"type":"openPriceSettings","__proto__":{"x":1}}')).ok, false, 'an own __proto__ key is refused');
  });

  it('the spending view may say ready, ask for an export, or open one of two settings, and nothing more', () => {
    assert.deepEqual(parseSpendingMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseSpendingMessage({ type: 'exportCsv' }), { type: 'exportCsv' });
    assert.deepEqual(parseSpendingMessage({ type: 'openSetting', key: 'budget.monthlyLimit' }), { type: 'openSetting', key: 'budget.monthlyLimit' });
    assert.deepEqual(parseSpendingMessage({ type: 'openSetting', key: 'pricing' }), { type: 'openSetting', key: 'pricing' });
    for (const bad of [
      null, 'ready', [], { type: 'openSetting', key: 'apiBaseUrl' }, { type: 'openSetting' }, { type: 'exportCsv', path: '/etc/passwd' },
      { type: 'ready', extra: 1 }, { type: 'delete' }, new (class { type = 'ready'; })(),
      Object.defineProperty({}, 'type', { get: () => 'ready', enumerable: true }),
    ]) {
      assert.equal(parseSpendingMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
