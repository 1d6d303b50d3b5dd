// The Generate panel's starting values: what was last used vs the seedance.default* settings
// (src/vscode/panel/lastUsed.ts). A setting changed since the value was remembered wins, for that field only.
import * as assert from 'node:assert/strict';
import type { GenerationDefaults } from '../../src/core/generationArgs';
import type { MementoLike } from '../../src/core/tasks/persistence';
import { readLastUsed, rememberLastUsed } from '../../src/vscode/panel/lastUsed';

class MapMemento implements MementoLike {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

const SETTINGS: GenerationDefaults = { model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

describe('panel: last used vs seedance.default*', () => {
  it('nothing remembered: the settings', () => {
    assert.deepEqual(readLastUsed(new MapMemento(), SETTINGS), SETTINGS);
  });

  it('settings unchanged since: the form starts where the person left off', async () => {
    const memento = new MapMemento();
    await rememberLastUsed(memento, { model: 'doubao-seedance-2-0', seconds: 8, size: '9:16', resolution: '480p' }, SETTINGS);
    assert.deepEqual(readLastUsed(memento, SETTINGS), { model: 'doubao-seedance-2-0', seconds: 8, size: '9:16', resolution: '480p' });
  });

  it('a setting changed since wins for its field; the other fields keep what was last used', async () => {
    const memento = new MapMemento();
    await rememberLastUsed(memento, { model: 'doubao-seedance-2-0', seconds: 8, size: '9:16', resolution: '480p' }, SETTINGS);
    assert.deepEqual(readLastUsed(memento, { ...SETTINGS, seconds: 10 }),
      { model: 'doubao-seedance-2-0', seconds: 10, size: '9:16', resolution: '480p' });
    assert.deepEqual(readLastUsed(memento, { ...SETTINGS, model: 'doubao-seedance-2-0-mini' }),
      { model: 'doubao-seedance-2-0-mini', seconds: 8, size: '9:16', resolution: '480p' });
    // Once generated again, the new last-used values stand against the new settings.
    const changed = { ...SETTINGS, resolution: '480p' };
    await rememberLastUsed(memento, { model: 'doubao-seedance-2-0', seconds: 8, size: '9:16', resolution: '720p' }, changed);
    assert.equal(readLastUsed(memento, changed).resolution, '720p');
  });

  it('a changed model setting fits the remembered values to that model (2.5 makes 16:9 only)', async () => {
    const memento = new MapMemento();
    await rememberLastUsed(memento, { model: 'doubao-seedance-2-0', seconds: 8, size: '9:16', resolution: '480p' }, SETTINGS);
    const form = readLastUsed(memento, { ...SETTINGS, model: 'seedance-2-5' });
    assert.equal(form.model, 'seedance-2-5');
    assert.equal(form.size, '16:9');
  });

  it('a value remembered by an older build (no settings beside it) gives way to the settings', () => {
    const memento = new MapMemento();
    memento.values.set('seedanceStudio.panel.lastUsed', { model: 'doubao-seedance-2-0', seconds: 8, size: '9:16', resolution: '480p' });
    assert.deepEqual(readLastUsed(memento, SETTINGS), SETTINGS);
  });

  it('a remembered model that no longer exists, or garbage, gives the settings', () => {
    const memento = new MapMemento();
    const retired = { model: 'seedance-0-9', seconds: 8, size: '9:16', resolution: '480p', defaults: SETTINGS };
    memento.values.set('seedanceStudio.panel.lastUsed', retired);
    assert.deepEqual(readLastUsed(memento, SETTINGS), SETTINGS);
    memento.values.set('seedanceStudio.panel.lastUsed', { model: 'doubao-seedance-2-0', seconds: 'eight', defaults: 7 });
    assert.deepEqual(readLastUsed(memento, SETTINGS), SETTINGS);
  });
});
