// Every rule of the model catalogue (src/core/catalog.ts), checked against the vendor's create page
// (revision A) and what changed since (CONTRACT 16: 2.5 added, 1.0 Pro and 1.5 Pro retired): second ranges
// per model at both edges, resolutions, aspect ratios, retired models refused with their date and
// replacement, the request shape each model is sent in, reference images only for the models that take
// them, images recognised by their bytes rather than their names, the 30 MB limit, whole seconds, a real
// prompt, every problem reported at once, and fitToModel's adjustments.

import * as assert from 'node:assert/strict';
import {
  acceptsReferenceImage,
  ASPECT_RATIOS,
  DEFAULT_MODEL,
  DEFAULT_RESOLUTION,
  DEFAULT_SECONDS,
  DEFAULT_SIZE,
  describeModel,
  findModel,
  fitToModel,
  MAX_REFERENCE_IMAGE_BYTES,
  MAX_REFERENCE_IMAGES,
  MODELS,
  referenceImageLimit,
  requestShapeFor,
  RESOLUTIONS,
  RETIRED_MODELS,
  retiredModel,
  secondsFor,
  sniffImageType,
  validate,
  type GenerationDraft,
  type ReferenceImageFacts,
} from '../../src/core/catalog';

const PNG_HEAD = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG_HEAD = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const WEBP_HEAD = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
const TEXT_HEAD = new TextEncoder().encode('hello world, not an image');

// The vendor page's table, restated here independently of the code under test.
const EXPECTED = {
  'doubao-seedance-2-0': { min: 4, max: 15, resolutions: ['480p', '720p'], image: true },
  'doubao-seedance-2-0-fast': { min: 4, max: 15, resolutions: ['480p', '720p'], image: true },
  // Revision B only (CONTRACT 3.2), offered in the WxH request shape only (see requestShape.test.ts).
  'doubao-seedance-2-0-mini': { min: 4, max: 15, resolutions: ['480p', '720p'], image: true },
  // CONTRACT 16: 4-30 s, 480p/720p, exact WxH (16:9 only documented), reference images as for 2.0.
  'seedance-2-5': { min: 4, max: 30, resolutions: ['480p', '720p'], image: true },
} as const;

// CONTRACT 16: retired, with the day and CometAPI's named replacement.
const RETIRED = {
  'doubao-seedance-1-0-pro': { date: '2026-07-17', replacements: ['doubao-seedance-2-0', 'doubao-seedance-2-0-fast'] },
  'doubao-seedance-1-5-pro': { date: '2026-11-11', replacements: ['seedance-2-5'] },
} as const;

function draft(overrides: Partial<GenerationDraft> = {}): GenerationDraft {
  return { prompt: 'A slow push across a coastal landscape at sunrise', model: DEFAULT_MODEL, seconds: 5, size: '16:9', resolution: '720p', ...overrides };
}

function image(overrides: Partial<ReferenceImageFacts> = {}): ReferenceImageFacts {
  return { fileName: 'reference.png', byteLength: 1024, head: PNG_HEAD, ...overrides };
}

function fields(d: GenerationDraft): string[] {
  return validate(d).map((p) => p.field);
}

describe('catalog', () => {
  describe('the model table', () => {
    it('offers the 2.0 models of the vendor page, revision B\'s 2.0 Mini and 2.5, with their ranges, resolutions and modes', () => {
      assert.deepEqual(MODELS.map((m) => m.id).sort(), Object.keys(EXPECTED).sort());
      for (const [id, want] of Object.entries(EXPECTED)) {
        const m = findModel(id);
        assert.ok(m, id);
        assert.equal(m.minSeconds, want.min, `${id} min`);
        assert.equal(m.maxSeconds, want.max, `${id} max`);
        assert.deepEqual([...m.resolutions], [...want.resolutions], `${id} resolutions`);
        assert.equal(acceptsReferenceImage(m), want.image, `${id} image`);
        assert.deepEqual([...m.sizes], id === 'seedance-2-5' ? ['16:9'] : [...ASPECT_RATIOS], `${id} sizes`);
        assert.ok(m.label && m.note, `${id} has a label and a note`);
      }
    });

    it('has the documented defaults, all valid together', () => {
      assert.equal(DEFAULT_MODEL, 'doubao-seedance-2-0-fast');
      assert.equal(DEFAULT_SECONDS, 5);
      assert.equal(DEFAULT_SIZE, '16:9');
      assert.equal(DEFAULT_RESOLUTION, '720p');
      assert.deepEqual(
        validate(draft({ model: DEFAULT_MODEL, seconds: DEFAULT_SECONDS, size: DEFAULT_SIZE, resolution: DEFAULT_RESOLUTION })),
        [],
      );
    });

    it('offers the six aspect ratios and three resolutions of the page', () => {
      assert.deepEqual([...ASPECT_RATIOS], ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16']);
      assert.deepEqual([...RESOLUTIONS], ['480p', '720p', '1080p']);
    });

    it('keeps the retired models apart, with their date and replacement, still described for old records', () => {
      assert.deepEqual(
        Object.fromEntries(RETIRED_MODELS.map((m) => [m.id, { date: m.retired!.date, replacements: [...m.retired!.replacements] }])),
        RETIRED,
      );
      for (const id of Object.keys(RETIRED)) {
        assert.equal(findModel(id), undefined, `${id} is not offered`);
        assert.equal(describeModel(id)?.id, id, `${id} still has its name for old records`);
        assert.ok(retiredModel(id), id);
      }
      assert.equal(retiredModel('doubao-seedance-2-0'), undefined);
    });

    it('says how many reference images each model takes: 9 for the 2.0 models and 2.5, none for the retired text-only ones', () => {
      assert.deepEqual(Object.fromEntries(MODELS.map((m) => [m.id, m.maxReferenceImages])), {
        'doubao-seedance-2-0': 9, 'doubao-seedance-2-0-fast': 9, 'doubao-seedance-2-0-mini': 9, 'seedance-2-5': 9,
      });
      assert.deepEqual(RETIRED_MODELS.map((m) => m.maxReferenceImages), [0, 0]);
      for (const m of MODELS) assert.equal(acceptsReferenceImage(m), m.maxReferenceImages > 0, m.id);
      assert.equal(referenceImageLimit(undefined), MAX_REFERENCE_IMAGES);
      const png = { fileName: 'a.png', byteLength: 100, head: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) };
      const ten = validate({ prompt: 'x', model: 'doubao-seedance-2-0-mini', seconds: 5, size: '16:9', resolution: '720p', inputReference: png, moreReferences: new Array(9).fill(png) });
      assert.deepEqual(ten.map((p) => p.message), ['Seedance 2.0 Mini takes at most 9 reference images; you gave 10. Remove 1.']);
    });

    it('findModel is exact (no aliases, case-sensitive)', () => {
      assert.equal(findModel('seedance-2-0'), undefined);
      assert.equal(findModel('DOUBAO-SEEDANCE-2-0'), undefined);
      assert.equal(findModel('seedance-mini'), undefined, 'revision B: aliases such as seedance-mini are not accepted');
    });

    it('secondsFor lists every whole second of the range', () => {
      for (const [id, want] of Object.entries(EXPECTED)) {
        const s = secondsFor(findModel(id)!);
        assert.equal(s[0], want.min);
        assert.equal(s[s.length - 1], want.max);
        assert.equal(s.length, want.max - want.min + 1);
      }
    });
  });

  describe('seconds', () => {
    for (const [id, want] of Object.entries(EXPECTED)) {
      it(`${id}: accepts ${want.min} and ${want.max}, refuses ${want.min - 1} and ${want.max + 1}`, () => {
        const resolution = '720p';
        assert.deepEqual(fields(draft({ model: id, seconds: want.min, resolution })), []);
        assert.deepEqual(fields(draft({ model: id, seconds: want.max, resolution })), []);
        for (const bad of [want.min - 1, want.max + 1]) {
          const problems = validate(draft({ model: id, seconds: bad, resolution }));
          assert.deepEqual(problems.map((p) => p.field), ['seconds']);
          assert.match(problems[0].message, new RegExp(`${want.min} to ${want.max} seconds`));
          assert.match(problems[0].message, new RegExp(`asked for ${bad}`));
        }
      });
    }

    it('refuses non-integer, non-numeric, NaN and missing durations', () => {
      for (const bad of [5.5, '5', NaN, Infinity, undefined, null]) {
        const problems = validate(draft({ seconds: bad }));
        assert.deepEqual(problems.map((p) => p.field), ['seconds'], String(bad));
        assert.match(problems[0].message, /whole number of seconds/);
      }
    });
  });

  describe('retired models', () => {
    for (const [id, want] of Object.entries(RETIRED)) {
      it(`${id}: refused before sending, naming the date and the replacement`, () => {
        const problems = validate(draft({ model: id }));
        assert.deepEqual(problems.map((p) => p.field), ['model']);
        assert.match(problems[0].message, new RegExp(`retired by CometAPI on ${want.date}`));
        for (const r of want.replacements) assert.ok(problems[0].message.includes(r), `names ${r}: ${problems[0].message}`);
      });
    }

    it('are named in no message that suggests a model', () => {
      const missing = validate(draft({ model: '' }))[0].message;
      const unknown = validate(draft({ model: 'sora-2' }))[0].message;
      for (const id of Object.keys(RETIRED)) {
        assert.equal(missing.includes(id), false);
        assert.equal(unknown.includes(id), false);
      }
    });
  });

  describe('request shape per model', () => {
    it('2.0 Mini and 2.5 are sent WxH whatever the setting; the others follow the setting', () => {
      for (const setting of ['ratio', 'wxh'] as const) {
        assert.equal(requestShapeFor('doubao-seedance-2-0-mini', setting), 'wxh');
        assert.equal(requestShapeFor('seedance-2-5', setting), 'wxh');
        assert.equal(requestShapeFor('doubao-seedance-2-0', setting), setting);
        assert.equal(requestShapeFor('doubao-seedance-2-0-fast', setting), setting);
      }
    });

    it('Mini and 2.5 validate under either setting (no model is refused for the shape)', () => {
      for (const shape of ['ratio', 'wxh'] as const) {
        assert.deepEqual(validate(draft({ model: 'doubao-seedance-2-0-mini' }), { shape }), []);
        assert.deepEqual(validate(draft({ model: 'seedance-2-5', seconds: 30 }), { shape }), []);
      }
    });
  });

  describe('resolution and size', () => {
    it('1080p for no offered model (the 1080p models are retired)', () => {
      for (const id of Object.keys(EXPECTED)) {
        const problems = validate(draft({ model: id, resolution: '1080p' }));
        assert.deepEqual(problems.map((p) => p.field), ['resolution']);
        assert.match(problems[0].message, /480p and 720p, not 1080p/);
      }
    });

    it('2.5 makes 16:9 only (the one ratio CONTRACT 16 documents a size for)', () => {
      assert.deepEqual(fields(draft({ model: 'seedance-2-5', size: '16:9' })), []);
      const problems = validate(draft({ model: 'seedance-2-5', size: '9:16' }));
      assert.deepEqual(problems.map((p) => p.field), ['size']);
      assert.match(problems[0].message, /Seedance 2.5 does not make 9:16 videos; choose one of 16:9/);
    });

    it('480p and 720p for every model', () => {
      for (const m of MODELS) for (const r of ['480p', '720p']) assert.deepEqual(fields(draft({ model: m.id, resolution: r })), [], `${m.id} ${r}`);
    });

    it('refuses unknown resolutions, including revision B ones', () => {
      for (const bad of ['4K', '1080', '720P', '', undefined, 720]) {
        assert.deepEqual(fields(draft({ resolution: bad })), ['resolution'], String(bad));
      }
    });

    it('every 2.0 model accepts every documented aspect ratio', () => {
      for (const m of MODELS.filter((x) => x.tier === '2.0')) for (const size of ASPECT_RATIOS) assert.deepEqual(fields(draft({ model: m.id, size })), [], `${m.id} ${size}`);
    });

    it('refuses other sizes, including revision B WxH', () => {
      for (const bad of ['1280x720', '16/9', '2:1', '', undefined]) {
        const problems = validate(draft({ size: bad }));
        assert.deepEqual(problems.map((p) => p.field), ['size'], String(bad));
        assert.match(problems[0].message, /21:9, 16:9, 4:3, 1:1, 3:4, 9:16/);
      }
    });
  });

  describe('prompt and model', () => {
    it('refuses a missing, empty or whitespace-only prompt', () => {
      for (const bad of [undefined, '', '   ', '\n\t ', 42]) {
        assert.deepEqual(fields(draft({ prompt: bad })), ['prompt'], JSON.stringify(bad));
      }
      assert.deepEqual(fields(draft({ prompt: ' x ' })), []);
    });

    it('accepts a non-English prompt', () => {
      assert.deepEqual(fields(draft({ prompt: '日出时海岸的缓慢推镜' })), []);
    });

    it('refuses a missing or unknown model and names the valid ones', () => {
      for (const bad of [undefined, '', 'sora-2', 'seedance-mini']) {
        const problems = validate(draft({ model: bad }));
        assert.deepEqual(problems.map((p) => p.field), ['model'], String(bad));
        for (const m of MODELS) assert.ok(problems[0].message.includes(m.id), `lists ${m.id}`);
      }
    });
  });

  describe('reference image', () => {
    it('is accepted by every offered model (2.0 and 2.5)', () => {
      for (const m of MODELS) assert.deepEqual(fields(draft({ model: m.id, inputReference: image() })), [], m.id);
    });

    it('is recognised by its bytes, never by its name', () => {
      assert.equal(sniffImageType(PNG_HEAD), 'image/png');
      assert.equal(sniffImageType(JPEG_HEAD), 'image/jpeg');
      assert.equal(sniffImageType(WEBP_HEAD), 'image/webp');
      assert.equal(sniffImageType(TEXT_HEAD), undefined);
      assert.equal(sniffImageType(new Uint8Array()), undefined);
      assert.equal(sniffImageType(PNG_HEAD.subarray(0, 7)), undefined, 'a truncated signature is not a PNG');
      // RIFF but not WEBP (a WAV file).
      assert.equal(sniffImageType(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45])), undefined);

      // A PNG named .jpg is fine; a text file named .png is not.
      assert.deepEqual(fields(draft({ model: 'doubao-seedance-2-0', inputReference: image({ fileName: 'photo.jpg', head: PNG_HEAD }) })), []);
      const problems = validate(draft({ model: 'doubao-seedance-2-0', inputReference: image({ fileName: 'notes.png', head: TEXT_HEAD }) }));
      assert.deepEqual(problems.map((p) => p.field), ['inputReference']);
      assert.match(problems[0].message, /"notes.png" is not a JPEG, PNG or WebP image/);
    });

    it('may be up to 30 MB, not one byte more, and not empty', () => {
      assert.equal(MAX_REFERENCE_IMAGE_BYTES, 30 * 1024 * 1024);
      assert.deepEqual(fields(draft({ model: 'doubao-seedance-2-0', inputReference: image({ byteLength: MAX_REFERENCE_IMAGE_BYTES }) })), []);
      const big = validate(draft({ model: 'doubao-seedance-2-0', inputReference: image({ byteLength: MAX_REFERENCE_IMAGE_BYTES + 1 }) }));
      assert.deepEqual(big.map((p) => p.field), ['inputReference']);
      assert.match(big[0].message, /at most 30 MB/);
      const empty = validate(draft({ model: 'doubao-seedance-2-0', inputReference: image({ byteLength: 0 }) }));
      assert.deepEqual(empty.map((p) => p.field), ['inputReference']);
      assert.match(empty[0].message, /is empty/);
    });
  });

  it('returns every problem at once, one per broken field, in words', () => {
    const problems = validate({
      prompt: ' ',
      model: 'doubao-seedance-2-0',
      seconds: 16,
      size: '2:1',
      resolution: '4K',
      inputReference: image({ fileName: 'x.png', head: TEXT_HEAD, byteLength: MAX_REFERENCE_IMAGE_BYTES + 1 }),
    });
    assert.deepEqual(problems.map((p) => p.field), ['prompt', 'seconds', 'size', 'resolution', 'inputReference', 'inputReference']);
    for (const p of problems) assert.ok(p.message.length > 10 && /[.]$/.test(p.message), p.message);
  });

  it('with an unknown model still checks what it can (type-level rules)', () => {
    const problems = validate({ prompt: 'p', model: 'nope', seconds: 99, size: '16:9', resolution: '720p' });
    // The range depends on the model, so only the model is reported; seconds 99 is a whole number.
    assert.deepEqual(problems.map((p) => p.field), ['model']);
  });

  describe('fitToModel', () => {
    it('clamps seconds into the new model range and rounds fractions', () => {
      const v25 = findModel('seedance-2-5')!;
      const fast = findModel('doubao-seedance-2-0-fast')!;
      assert.equal(fitToModel(fast, { seconds: 30, size: '16:9', resolution: '720p' }).seconds, 15);
      assert.equal(fitToModel(v25, { seconds: 30, size: '16:9', resolution: '720p' }).seconds, 30);
      assert.equal(fitToModel(v25, { seconds: 31, size: '16:9', resolution: '720p' }).seconds, 30);
      assert.equal(fitToModel(fast, { seconds: 2, size: '16:9', resolution: '720p' }).seconds, 4);
      assert.equal(fitToModel(fast, { seconds: 6.6, size: '16:9', resolution: '720p' }).seconds, 7);
      assert.equal(fitToModel(fast, { seconds: NaN, size: '16:9', resolution: '720p' }).seconds, DEFAULT_SECONDS);
    });

    it('keeps supported values and replaces unsupported ones with the closest sensible choice', () => {
      const fast = findModel('doubao-seedance-2-0-fast')!;
      const v25 = findModel('seedance-2-5')!;
      assert.deepEqual(fitToModel(fast, { seconds: 5, size: '9:16', resolution: '480p' }), { seconds: 5, size: '9:16', resolution: '480p' });
      // 1080p on a 2.0 model becomes its highest, 720p.
      assert.equal(fitToModel(fast, { seconds: 5, size: '16:9', resolution: '1080p' }).resolution, '720p');
      // 2.5 makes 16:9 only.
      assert.equal(fitToModel(v25, { seconds: 5, size: '9:16', resolution: '720p' }).size, '16:9');
      assert.equal(fitToModel(fast, { seconds: 5, size: '1280x720', resolution: '720p' }).size, DEFAULT_SIZE);
    });

    it('always produces a draft that validates for that model', () => {
      for (const m of MODELS) {
        for (const seconds of [0, 1, 2, 4, 10, 12, 15, 20, 30, 31]) {
          for (const resolution of ['480p', '720p', '1080p', '4K']) {
            const fitted = fitToModel(m, { seconds, size: '4:3', resolution });
            assert.deepEqual(validate(draft({ model: m.id, ...fitted })), [], `${m.id} ${seconds} ${resolution}`);
          }
        }
      }
    });
  });
});
