// The two documented create request shapes (CONTRACT 3.1-3.3): the WxH table against the contract's own
// table, the multipart form each shape produces (read back by a real multipart parser), and both shapes sent
// to the simulator: revision B accepts each and renders the exact size, revision A refuses WxH with the
// size-field 400 that the edge turns into "switch seedance.requestShape".

import * as assert from 'node:assert/strict';
import { Response } from 'undici';
import { CometClient } from '../../src/core/api/client';
import { buildCreateForm } from '../../src/core/api/createForm';
import { ApiError } from '../../src/core/api/errors';
import type { CreateVideoRequest, ReferenceImageUpload } from '../../src/core/api/types';
import { ASPECT_RATIOS, MODELS, findModel, validate, type RequestShape } from '../../src/core/catalog';
import { exactSize } from '../../src/core/exactSizes';
import { isSizeFieldRejection, otherRequestShape } from '../../src/core/requestShapeRejection';
import { startSimulator, type Simulator } from '../simulator/server';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const image = (n: number): ReferenceImageUpload => ({ fileName: `ref-${n}.png`, contentType: 'image/png', data: PNG });
const REQ: CreateVideoRequest = { prompt: 'A lighthouse at dusk, slow dolly in', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

/** CONTRACT 3.3 copied cell by cell (ratio order 16:9, 4:3, 1:1, 3:4, 9:16, 21:9). */
const CONTRACT: Record<string, Record<string, string>> = {
  'doubao-seedance-2-0-mini': {
    '480p': '864x496 752x560 640x640 560x752 496x864 992x432',
    '720p': '1280x720 1112x834 960x960 834x1112 720x1280 1470x630',
  },
  'doubao-seedance-1-0-pro': {
    '480p': '864x480 736x544 640x640 544x736 480x864 960x416',
    '720p': '1248x704 1120x832 960x960 832x1120 704x1248 1504x640',
    '1080p': '1920x1088 1664x1248 1440x1440 1248x1664 1088x1920 2176x928',
  },
  'doubao-seedance-1-5-pro': {
    '480p': '864x496 752x560 640x640 560x752 496x864 992x432',
    '720p': '1280x720 1112x834 960x960 834x1112 720x1280 1470x630',
    '1080p': '1920x1080 1664x1248 1440x1440 1248x1664 1080x1920 2206x946',
  },
};
/** CONTRACT 16: 2.5's documented sizes (16:9 only). */
const V25: Record<string, string> = { '480p': '854x480', '720p': '1280x720' };
const ORDER = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];

async function formParts(
  req: CreateVideoRequest,
  shape: RequestShape,
): Promise<{ fields: Map<string, string[]>; files: { field: string; name: string; type: string }[] }> {
  const body = buildCreateForm(req, shape);
  const parsed = await new Response(Buffer.concat([...body.chunks()]), { headers: { 'content-type': body.contentType } }).formData();
  const fields = new Map<string, string[]>();
  const files: { field: string; name: string; type: string }[] = [];
  for (const [k, v] of parsed.entries()) {
    if (typeof v === 'string') fields.set(k, [...(fields.get(k) ?? []), v]);
    else files.push({ field: k, name: (v as { name: string }).name, type: (v as { type: string }).type });
  }
  return { fields, files };
}

describe('request shapes: the WxH table', () => {
  it('matches CONTRACT 3.3 for every model and class the catalogue offers', () => {
    for (const [model, rows] of Object.entries(CONTRACT)) {
      for (const [resolution, cells] of Object.entries(rows)) {
        const expected = cells.split(' ');
        assert.deepEqual(ORDER.map((ratio) => exactSize(model, ratio, resolution)), expected, `${model} ${resolution}`);
      }
    }
    for (const [resolution, size] of Object.entries(V25)) assert.equal(exactSize('seedance-2-5', '16:9', resolution), size, `2.5 ${resolution}`);
    assert.equal(exactSize('seedance-2-5', '9:16', '720p'), undefined, '2.5: no documented 9:16 size');
    // 2.0 and 2.0 Fast share the 1.5 Pro column.
    for (const model of ['doubao-seedance-2-0', 'doubao-seedance-2-0-fast']) {
      assert.equal(exactSize(model, '9:16', '720p'), '720x1280');
      assert.equal(exactSize(model, '21:9', '480p'), '992x432');
    }
  });

  it('has a size for every ratio x resolution a model is offered in, and none for Mini at 1080p', () => {
    for (const m of MODELS) {
      for (const ratio of m.sizes) for (const res of m.resolutions) assert.match(exactSize(m.id, ratio, res) ?? '', /^[1-9]\d{2,3}x[1-9]\d{2,3}$/, `${m.id} ${ratio} ${res}`);
    }
    assert.equal(exactSize('doubao-seedance-2-0-mini', '16:9', '1080p'), undefined);
  });
});

describe('request shapes: the catalogue and validation', () => {
  it('documents 2.0 Mini and 2.5 in the WxH shape only, and validates them under either setting', () => {
    for (const id of ['doubao-seedance-2-0-mini', 'seedance-2-5']) {
      const model = findModel(id);
      assert.ok(model);
      assert.deepEqual(model.requestShapes, ['wxh']);
      const draft = { prompt: 'x', model: model.id, seconds: 5, size: '16:9', resolution: '720p' };
      assert.deepEqual(validate(draft, { shape: 'wxh' }), []);
      assert.deepEqual(validate(draft, { shape: 'ratio' }), [], `${id} is not refused for the setting`);
    }
  });

  it('accepts up to 9 reference images for 2.0 models and refuses a tenth', () => {
    const facts = (n: number) => ({ fileName: `r${n}.png`, byteLength: PNG.byteLength, head: PNG });
    const base = { prompt: 'x', model: 'doubao-seedance-2-0', seconds: 5, size: '16:9', resolution: '720p', inputReference: facts(0) };
    assert.deepEqual(validate({ ...base, moreReferences: [1, 2, 3, 4, 5, 6, 7, 8].map(facts) }), []);
    const ten = validate({ ...base, moreReferences: [1, 2, 3, 4, 5, 6, 7, 8, 9].map(facts) });
    assert.ok(ten.some((p) => /takes at most 9 reference images; you gave 10\. Remove 1\./.test(p.message)), JSON.stringify(ten));
    assert.deepEqual(validate({ ...base, model: 'seedance-2-5', moreReferences: [1, 2, 3, 4, 5, 6, 7, 8].map(facts) }), []);
  });
});

describe('request shapes: the multipart form', () => {
  it('ratio shape: size is the ratio and resolution is sent', async () => {
    const { fields } = await formParts(REQ, 'ratio');
    assert.deepEqual(fields.get('size'), ['16:9']);
    assert.deepEqual(fields.get('resolution'), ['720p']);
  });

  it('wxh shape: size is the exact WxH and there is no resolution field', async () => {
    const { fields } = await formParts({ ...REQ, model: 'doubao-seedance-1-0-pro', size: '9:16', resolution: '1080p' }, 'wxh');
    assert.deepEqual(fields.get('size'), ['1088x1920']);
    assert.equal(fields.has('resolution'), false);
    assert.deepEqual(fields.get('seconds'), ['5']);
  });

  for (const shape of ['ratio', 'wxh'] as const) {
    it(`Mini and 2.5 are sent WxH with the setting at "${shape}"`, async () => {
      const mini = await formParts({ ...REQ, model: 'doubao-seedance-2-0-mini', size: '9:16', resolution: '720p' }, shape);
      assert.deepEqual(mini.fields.get('size'), ['720x1280']);
      assert.equal(mini.fields.has('resolution'), false);
      const v25 = await formParts({ ...REQ, model: 'seedance-2-5', seconds: 30, size: '16:9', resolution: '720p' }, shape);
      assert.deepEqual(v25.fields.get('size'), ['1280x720']);
      assert.deepEqual(v25.fields.get('seconds'), ['30']);
      assert.equal(v25.fields.has('resolution'), false);
      // A model documented both ways follows the setting.
      const fast = await formParts(REQ, shape);
      assert.deepEqual(fast.fields.get('size'), [shape === 'ratio' ? '16:9' : '1280x720']);
    });
  }

  it('several reference images are repeated input_reference parts in upload order; one stays one', async () => {
    const many = await formParts({ ...REQ, inputReference: image(1), moreReferences: [image(2), image(3)] }, 'wxh');
    assert.deepEqual(many.files.map((f) => [f.field, f.name, f.type]), [
      ['input_reference', 'ref-1.png', 'image/png'],
      ['input_reference', 'ref-2.png', 'image/png'],
      ['input_reference', 'ref-3.png', 'image/png'],
    ]);
    const one = await formParts({ ...REQ, inputReference: image(1) }, 'ratio');
    assert.equal(one.files.length, 1);
  });

  it('refuses, before sending, a size the table does not have', () => {
    assert.throws(() => buildCreateForm({ ...REQ, model: 'doubao-seedance-2-0-mini', resolution: '1080p' }, 'wxh'), (e: unknown) => e instanceof ApiError && e.kind === 'invalidRequest' && !e.mayHaveReachedServer);
  });
});

describe('request shapes against the simulator', () => {
  let sim: Simulator;
  const clients: CometClient[] = [];
  const client = (shape: RequestShape) => {
    const c = new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => sim.apiKey, requestShape: () => shape });
    clients.push(c);
    return c;
  };
  before(async () => {
    sim = await startSimulator({ timeScale: 0.005, deterministic: true });
  });
  beforeEach(() => sim.reset());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  after(async () => {
    await sim.close();
  });

  for (const shape of ['ratio', 'wxh'] as const) {
    it(`revB accepts the ${shape} shape and renders the table's exact size`, async () => {
      sim.setConfig({ profile: 'revB', strict: true });
      sim.setConfig({ serveRetired: true });
      for (const [model, ratio, resolution] of [['doubao-seedance-2-0-fast', '4:3', '480p'], ['doubao-seedance-1-0-pro', '21:9', '720p']] as const) {
        const created = await client(shape).createVideo({ ...REQ, model, size: ratio, resolution });
        const task = sim.tasks().find((t) => t.id === created.id);
        assert.ok(task);
        assert.equal(`${task.width}x${task.height}`, exactSize(model, ratio, resolution));
        assert.equal(task.ratio, ratio);
        assert.equal(task.resolution, resolution);
      }
    });
  }

  it('revB takes 2.0 Mini in the WxH shape with three reference images', async () => {
    sim.setConfig({ profile: 'revB', strict: true });
    const created = await client('wxh').createVideo({ ...REQ, model: 'doubao-seedance-2-0-mini', inputReference: image(1), moreReferences: [image(2), image(3)] });
    const task = sim.tasks().find((t) => t.id === created.id);
    assert.equal(task?.referenceImages, 3);
    assert.equal(`${task?.width}x${task?.height}`, '1280x720');
  });

  for (const profile of ['revA', 'revB'] as const) {
    it(`2.5 at 30 s and 720p is created as 1280x720 by the ${profile} simulator under the ratio setting`, async () => {
      sim.setConfig({ profile, strict: true });
      const created = await client('ratio').createVideo({ ...REQ, model: 'seedance-2-5', seconds: 30, size: '16:9', resolution: '720p' });
      const task = sim.tasks().find((t) => t.id === created.id);
      assert.equal(`${task?.width}x${task?.height}`, '1280x720');
      assert.equal(task?.seconds, 30);
    });
  }

  it('revA refuses WxH with a 400 naming the size field, recognised as a shape rejection; nothing is created', async () => {
    sim.setConfig({ profile: 'revA' });
    let error: unknown;
    try {
      await client('wxh').createVideo(REQ);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.mayHaveReachedServer, false);
    assert.ok(isSizeFieldRejection(error), error.message);
    assert.equal(sim.tasks().length, 0);
    assert.equal(otherRequestShape('wxh'), 'ratio');
    // The same client in the ratio shape works: the setting is the whole fix.
    await client('ratio').createVideo(REQ);
    assert.equal(sim.tasks().length, 1);
  });

  it('other 400s are not mistaken for a shape rejection', async () => {
    sim.setConfig({ profile: 'revA' });
    const err = await client('ratio').createVideo({ ...REQ, seconds: 30 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ApiError && err.status === 400, String(err));
    assert.equal(isSizeFieldRejection(err), false, (err as Error).message);
    assert.equal(ASPECT_RATIOS.length, 6);
  });
});
