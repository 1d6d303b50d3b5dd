// Pins the product catalogue (src/core/catalog.ts) to the simulator's model table, which is written from
// the contract and the vendor page (test/simulator/models.ts), so a wrong catalogue row fails here instead of
// being agreed with by a simulator built from it. Each product row is compared with revision A (the vendor
// page); a row revision A does not document (doubao-seedance-2-0-mini) with revision B; 2.5 and the retired
// models with CONTRACT 16. Twice: the tables side by side, then what a strict simulator actually accepts
// over HTTP (in the request shape the product sends each model in).

import { strict as assert } from 'node:assert';
import { Agent, FormData, request } from 'undici';
import { acceptsReferenceImage, ALL_MODELS, MODELS, RETIRED_MODELS, requestShapeFor } from '../../src/core/catalog';
import { exactSize } from '../../src/core/exactSizes';
import { modelsFor, RESOLUTION_CLASSES, RETIRED, type SimModel } from '../simulator/models';
import type { Profile } from '../simulator/options';
import { type Simulator, startSimulator } from '../simulator/server';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

/** The simulator's row for a product model and the revision it comes from, or undefined if neither has it. */
function simRow(id: string): { profile: Profile; row: SimModel } | undefined {
  for (const profile of ['revA', 'revB'] as const) {
    const row = modelsFor(profile, true).find((m) => m.id === id);
    if (row) return { profile, row };
  }
  return undefined;
}

const byClass = (xs: readonly string[]) =>
  [...xs].sort((a, b) => RESOLUTION_CLASSES.indexOf(a as never) - RESOLUTION_CLASSES.indexOf(b as never));

describe('product catalogue pinned to the contract (simulator table)', () => {
  it('offers only models the contract documents', () => {
    const unknown = MODELS.filter((m) => !simRow(m.id)).map((m) => m.id);
    assert.deepEqual(unknown, [], 'the product offers models neither revision documents');
  });

  it('offers every model the service serves now (revision A plus CONTRACT 16), and no retired one', () => {
    const missing = modelsFor('revA').filter((s) => !MODELS.some((m) => m.id === s.id)).map((s) => s.id);
    assert.deepEqual(missing, []);
    assert.deepEqual(MODELS.filter((m) => m.id in RETIRED).map((m) => m.id), []);
  });

  it('knows every retired model with the date CONTRACT 16 gives', () => {
    assert.deepEqual(Object.fromEntries(RETIRED_MODELS.map((m) => [m.id, m.retired?.date])), RETIRED);
    for (const m of RETIRED_MODELS) for (const r of m.retired!.replacements) assert.ok(MODELS.some((o) => o.id === r), `${m.id}'s replacement ${r} is offered`);
  });

  for (const model of ALL_MODELS) {
    it(`${model.id}: seconds, resolutions and reference images match the contract`, () => {
      const found = simRow(model.id);
      assert.ok(found, `${model.id} is not documented`);
      const { profile, row } = found;
      assert.deepEqual([model.minSeconds, model.maxSeconds], [row.minSeconds, row.maxSeconds], `${model.id} seconds range (${profile})`);
      assert.deepEqual(byClass(model.resolutions), byClass(row.resolutions), `${model.id} resolutions (${profile})`);
      assert.equal(acceptsReferenceImage(model), row.acceptsReference, `${model.id} accepts input_reference (${profile})`);
    });
  }
});

describe('product catalogue pinned to what the simulator accepts (strict, over HTTP)', () => {
  const agent = new Agent();
  const sims = new Map<Profile, Simulator>();
  before(async () => {
    for (const profile of ['revA', 'revB'] as const) {
      // Strict: a resolution the model lacks is refused instead of silently downgraded.
      sims.set(profile, await startSimulator({ profile, strict: true, deterministic: true, timeScale: 0.01 }));
    }
  });
  after(async () => {
    await Promise.all([...sims.values()].map((s) => s.close()));
    await agent.close();
  });

  async function create(sim: Simulator, fields: Record<string, string>, image = false): Promise<number> {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ prompt: 'pinned catalogue check', size: '16:9', resolution: '720p', seconds: '5', ...fields })) if (v !== '') fd.append(k, v);
    if (image) fd.append('input_reference', new Blob([PNG], { type: 'image/png' }), 'ref.png');
    const res = await request(`${sim.baseUrl}/v1/videos`, { method: 'POST', body: fd, headers: { authorization: `Bearer ${sim.apiKey}` }, dispatcher: agent });
    await res.body.text();
    return res.statusCode;
  }

  for (const model of MODELS) {
    it(`${model.id}: every setting the product offers is accepted, and the ones it withholds are refused`, async function () {
      const found = simRow(model.id);
      if (!found) this.skip(); // reported by the table test above
      const sim = sims.get(found!.profile)!;
      const base = { model: model.id, resolution: model.resolutions[0] };
      // The shape the product sends this model in (under either setting): WxH carries no resolution field.
      const wire = (f: Record<string, string>): Record<string, string> => {
        const all = { size: model.sizes[0] as string, ...base, ...f };
        const wxh = requestShapeFor(model.id, 'ratio') === 'wxh' ? exactSize(model.id, all.size, all.resolution) : undefined;
        return wxh ? { ...all, size: wxh, resolution: '' } : all;
      };
      const problems: string[] = [];
      const expect = async (what: string, want: 200 | 400, fields: Record<string, string>, image = false) => {
        const got = await create(sim, wire(fields), image);
        if (got !== want) problems.push(`${what}: expected ${want}, got ${got}`);
      };
      await expect(`${model.minSeconds} s`, 200, { seconds: String(model.minSeconds) });
      await expect(`${model.maxSeconds} s`, 200, { seconds: String(model.maxSeconds) });
      await expect(`${model.minSeconds - 1} s`, 400, { seconds: String(model.minSeconds - 1) });
      await expect(`${model.maxSeconds + 1} s`, 400, { seconds: String(model.maxSeconds + 1) });
      for (const size of model.sizes) await expect(`size ${size}`, 200, { size });
      for (const resolution of RESOLUTION_CLASSES) {
        await expect(`resolution ${resolution}`, (model.resolutions as readonly string[]).includes(resolution) ? 200 : 400, { resolution });
      }
      await expect('a reference image', acceptsReferenceImage(model) ? 200 : 400, {}, true);
      assert.deepEqual(problems, [], `${model.id} against the simulator's ${found!.profile}`);
    });
  }
});


describe('retired models at the simulator (CONTRACT 16)', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ deterministic: true, timeScale: 0.01 });
  });
  after(() => sim.close());

  for (const model of RETIRED_MODELS) {
    it(`${model.id}: answered 503 model_not_found, and not listed in /api/models`, async () => {
      const fd = new FormData();
      for (const [k, v] of Object.entries({ prompt: 'retired model', model: model.id, size: '16:9', resolution: '720p', seconds: '5' })) fd.append(k, v);
      const res = await request(`${sim.baseUrl}/v1/videos`, { method: 'POST', body: fd, headers: { authorization: `Bearer ${sim.apiKey}` } });
      const body = (await res.body.json()) as { error?: { code?: string } };
      assert.equal(res.statusCode, 503);
      assert.equal(body.error?.code, 'model_not_found');
      const list = (await (await request(`${sim.baseUrl}/api/models`)).body.json()) as { data: { id: string }[] };
      assert.equal(list.data.some((m) => m.id === model.id), false);
    });
  }
});
