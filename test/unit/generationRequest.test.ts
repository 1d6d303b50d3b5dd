// The one request type (src/core/generationRequest.ts) and its mappings: each form a request takes (the
// create request and its multipart body, the stored task, the saved record, the public snapshot, the
// panel's result card, the agents' view, the panel's form as the webview sends it) carries every generation
// field, and the forms that must not carry more (the spending record, the settings) do not.
import * as assert from 'node:assert/strict';
import { agentTaskView } from '../../src/core/agentTools/taskView';
import { buildCreateForm } from '../../src/core/api/createForm';
import type { CreateVideoRequest, ReferenceImageUpload } from '../../src/core/api/types';
import { buildMetadataRecord } from '../../src/core/files/outputNaming';
import { fieldsOf, GENERATION_FIELDS, settingsOf, type GenerationFields } from '../../src/core/generationRequest';
import { estimateArgsOf } from '../../src/core/pricing/estimate';
import { imagesOf, referencesOf } from '../../src/core/requestImages';
import { submitGeneration } from '../../src/core/submit';
import { parseStoredTasks, toStoredEnvelope } from '../../src/core/tasks/persistence';
import { toPublicSnapshot, type TaskRequest, type TrackedTask } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';
import { parseWebviewMessage } from '../../src/shared/protocol';
import { toTaskView } from '../../src/vscode/panel/taskView';

// Values no default or fallback would produce, so a form that drops a field and fills it in is caught.
const fields: GenerationFields = {
  prompt: 'A lighthouse keeper feeding gulls at dawn', model: 'doubao-seedance-2-0', seconds: 7, size: '9:16', resolution: '480p',
};
const request: TaskRequest = {
  ...fields,
  inputReference: { path: '/w/a.png', name: 'a.png' },
  moreReferences: [{ path: '/w/b.png', name: 'b.png' }],
  storyboard: { file: 'film.storyboard.md', shotId: 's1' },
};
const task: TrackedTask = {
  localId: 'local-1', remoteId: 'task_1', status: 'running', progress: 40, request,
  createdAt: Date.UTC(2026, 11, 6), submittedAt: Date.UTC(2026, 11, 6),
  download: { state: 'none' },
};

function assertCarriesEveryField(form: object, what: string): void {
  for (const key of GENERATION_FIELDS) assert.equal((form as Record<string, unknown>)[key], fields[key], `${what}: ${key}`);
}

describe('one request type and its mappings', () => {
  it('names every field once, in the order forms and records list them', () => {
    assert.deepEqual(GENERATION_FIELDS, ['prompt', 'model', 'seconds', 'size', 'resolution']);
    assert.deepEqual(Object.keys(fieldsOf(request)), GENERATION_FIELDS);
    assert.deepEqual(Object.keys(settingsOf(request)), GENERATION_FIELDS.filter((k) => k !== 'prompt'));
  });

  it('copies just the fields, never what else a form carries', () => {
    assert.deepEqual(fieldsOf(request), fields);
    assert.deepEqual(fieldsOf({ ...fields, imageTokens: ['t'], id: 'x' } as GenerationFields), fields);
  });

  it('keeps only what the price depends on for the spending record (never the prompt)', () => {
    assert.deepEqual(estimateArgsOf(request), { model: fields.model, seconds: fields.seconds, resolution: fields.resolution });
  });

  it('holds images as first + the rest and gives them back in upload order', () => {
    assert.deepEqual(referencesOf([]), {});
    assert.deepEqual(referencesOf(['a']), { inputReference: 'a' });
    assert.deepEqual(referencesOf(['a', 'b', 'c']), { inputReference: 'a', moreReferences: ['b', 'c'] });
    for (const images of [[], ['a'], ['a', 'b', 'c']]) assert.deepEqual(imagesOf(referencesOf(images)), images);
  });

  it('sends every field and every image in the create request and its multipart body', async () => {
    const sent: CreateVideoRequest[] = [];
    const upload = (fileName: string): ReferenceImageUpload => ({ fileName, contentType: 'image/png', data: new Uint8Array([1, 2, 3]) });
    const uploads = [upload('a.png'), upload('b.png')];
    await submitGeneration({ store: new TaskStore(), createVideo: async (r) => {
      sent.push(r);
      return { id: 'task_9', status: 'queued', rawStatus: 'queued', unknownStatus: false, progress: 0 };
    } }, request, uploads);
    assert.equal(sent.length, 1);
    assertCarriesEveryField(sent[0], 'create request');
    assert.deepEqual(imagesOf(sent[0]).map((u) => u.fileName), ['a.png', 'b.png']);

    const body = Buffer.concat([...buildCreateForm(sent[0], 'ratio').chunks()]).toString('latin1');
    for (const key of GENERATION_FIELDS) assert.ok(body.includes(`name="${key}"\r\n\r\n${fields[key]}\r\n`), `multipart: ${key}`);
  });

  it('keeps every field through storage, the saved record and each view', () => {
    const [restored] = parseStoredTasks(toStoredEnvelope([task]), { now: task.createdAt }).tasks;
    assertCarriesEveryField(restored.request, 'stored task');
    assert.deepEqual(imagesOf(restored.request), imagesOf(request));

    const saved = { extensionVersion: '0', videoFile: '/w/v.mp4', savedAt: task.createdAt };
    const record = buildMetadataRecord({ ...task, status: 'succeeded' }, saved);
    assertCarriesEveryField(record, 'saved record');
    assert.deepEqual(imagesOf(record), [{ name: 'a.png' }, { name: 'b.png' }]);

    assertCarriesEveryField(toPublicSnapshot(task), 'public snapshot');
    assertCarriesEveryField(toTaskView(task, { videoUri: (f) => f, now: task.createdAt }), 'panel result card');
    assertCarriesEveryField(agentTaskView(task, (f) => f), 'agent view');
  });

  it('reads every field of the form the webview sends', () => {
    const parsed = parseWebviewMessage({ type: 'generate', requestId: 'r1', form: { ...fields, imageTokens: [] } });
    assert.ok(parsed.ok && parsed.value.type === 'generate');
    assertCarriesEveryField(parsed.value.form, 'generate form');
  });
});
