// The film on real videos made here with ffmpeg: three H.264 + AAC takes of the same parameters joined by
// copying packets (length and frame count the sums, both streams, decoded by ffmpeg with no error, sound
// starting at each cut), a take of another size refused with its index, a cancelled run leaving nothing;
// plus the sidecar, the "older than the takes" check, the OTIO timeline and the sound facts.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findMismatches } from '../../src/core/film/compatibility';
import { filmOwnership, filmPaths, sha256File, staleShots, FILM_SCHEMA, type FilmSidecar } from '../../src/core/film/filmFiles';
import { joinTakes, JoinCancelledError } from '../../src/core/film/join';
import { buildTimeline } from '../../src/core/film/otio';
import { probeTake, type TakeFacts } from '../../src/core/film/probe';
import { mediabunny } from '../../src/core/film/media';
import { readMoov, sampleCounts } from '../../src/core/film/mp4Index';
import { readSoundFacts } from '../../src/core/film/soundFacts';
import { parseFilmFromWebview } from '../../src/shared/storyboardProtocol';
import { audioPacketTimes, ffmpegDecodeErrors, ffprobe, makeTake, requireFfmpeg } from '../media/makeTakes';

const FPS = 24;

describe('the film (real videos, Mediabunny, checked with ffprobe/ffmpeg)', function () {
  this.timeout(120_000);
  let dir: string;
  let shots: string[];
  let wide: string;
  let silent: string;
  let ac3: string;
  let facts: TakeFacts[];

  before(async () => {
    requireFfmpeg();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'film-'));
    shots = [1, 1.5, 2].map((seconds, i) => makeTake({ file: path.join(dir, `shot-${i + 1}.mp4`), seconds, tone: 300 + 200 * i }));
    wide = makeTake({ file: path.join(dir, 'wide.mp4'), seconds: 1, width: 640, height: 360 });
    silent = makeTake({ file: path.join(dir, 'silent.mp4'), seconds: 1, audio: 'none' });
    ac3 = makeTake({ file: path.join(dir, 'ac3.mp4'), seconds: 1, audio: 'ac3' });
    facts = await Promise.all(shots.map(probeTake));
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads each take: size, codecs, frames, length, sound', () => {
    assert.deepEqual(facts.map((f) => f.video.frames), [24, 36, 48]);
    assert.deepEqual(facts.map((f) => Math.round(f.duration * 1000)), [1000, 1500, 2000]);
    for (const f of facts) {
      assert.equal(f.video.codec, 'avc');
      assert.match(f.video.codecString, /^avc1\./);
      assert.deepEqual([f.video.width, f.video.height], [320, 180]);
      assert.equal(f.audio?.codec, 'aac');
      assert.equal(f.audio?.codecString, 'mp4a.40.2');
      assert.equal(f.audio?.sampleRate, 44100);
      assert.equal(f.audio?.channels, 2);
    }
  });

  it('joins the takes without re-encoding: length and frame count are the sums, both streams, ffmpeg decodes it cleanly', async () => {
    const target = path.join(dir, 'joined.film.mp4');
    const progress: number[] = [];
    const result = await joinTakes(facts, target, { onProgress: (f) => progress.push(f) });
    assert.equal(result.hasAudio, true);
    assert.deepEqual(result.shots.map((s) => s.start), [0, 1, 2.5]);
    assert.equal(progress.at(-1), 1);
    assert.ok(progress.every((p, i) => i === 0 || p >= progress[i - 1]), 'progress only grows');

    const probed = ffprobe(target);
    const sum = facts.reduce((s, f) => s + f.duration, 0);
    assert.ok(Math.abs(probed.duration - sum) <= 1 / FPS, `film ${probed.duration} s vs takes ${sum} s`);
    const video = probed.streams.find((s) => s.codec === 'h264');
    const audio = probed.streams.find((s) => s.codec === 'aac');
    assert.ok(video && audio, `both streams: ${JSON.stringify(probed.streams)}`);
    assert.equal(video.frames, facts.reduce((n, f) => n + f.video.frames, 0), 'every picture of every take, none added');
    assert.deepEqual([video.width, video.height], [320, 180]);
    assert.ok(Math.abs(audio.duration - sum) <= 1 / FPS, `sound runs the whole film: ${audio.duration} s`);
    assert.equal(ffmpegDecodeErrors(target), '', 'ffmpeg decodes every packet with no error');

    // Sound in sync: each take's sound starts at its cut (priming dropped, never shifted by it).
    const times = audioPacketTimes(target);
    for (const cut of [1, 2.5]) {
      const first = times.find((t) => t >= cut - 1e-3);
      assert.ok(first !== undefined && Math.abs(first - cut) < 0.001, `sound of the take at ${cut} s starts at ${first}`);
    }
    // The index is at the start of the file (players need no seek to its end).
    const head = Buffer.alloc(64);
    const handle = await fs.open(target, 'r');
    await handle.read(head, 0, 64, 0);
    await handle.close();
    assert.equal(head.toString('latin1', 4, 8), 'ftyp');
    assert.equal(head.toString('latin1', head.readUInt32BE(0) + 4, head.readUInt32BE(0) + 8), 'moov');
  });

  it('names the take of another size, and takes whose sound differs', async () => {
    const mixed = [facts[0], await probeTake(wide), facts[1], await probeTake(silent), await probeTake(ac3)];
    const found = findMismatches(mixed);
    assert.deepEqual(found.map((m) => m.index), [1, 3, 4]);
    assert.deepEqual(found[0].differences, [{ kind: 'size', expected: '320×180', found: '640×360' }]);
    assert.deepEqual(found[1].differences.map((d) => d.kind), ['audioMissing']);
    assert.deepEqual(found[2].differences.map((d) => d.kind), ['audioFormat']);
    assert.deepEqual(findMismatches(facts), []);
  });

  it('a cancelled run leaves nothing behind, and the film that was there stays as it was', async () => {
    const target = path.join(dir, 'cancelled.film.mp4');
    await fs.writeFile(target, 'the previous film');
    const before = new Set(await fs.readdir(dir));
    const abort = new AbortController();
    await assert.rejects(
      joinTakes(facts, target, { signal: abort.signal, onProgress: (f) => f > 0.3 && abort.abort() }),
      (e: unknown) => e instanceof JoinCancelledError,
    );
    assert.deepEqual(new Set(await fs.readdir(dir)), before, 'no temporary file left');
    assert.equal(await fs.readFile(target, 'utf8'), 'the previous film');
  });

  it('a failed run (a take that vanished midway) leaves nothing behind', async () => {
    const gone = path.join(dir, 'gone.mp4');
    await fs.copyFile(shots[2], gone);
    const planned = [facts[0], { ...(await probeTake(gone)) }];
    await fs.rm(gone);
    const target = path.join(dir, 'failed.film.mp4');
    const before = new Set(await fs.readdir(dir));
    await assert.rejects(joinTakes(planned, target));
    assert.deepEqual(new Set(await fs.readdir(dir)), before);
  });

  it('counts packets from the MP4 index as Mediabunny does by walking them, and walks a fragmented file', async () => {
    const fragmented = path.join(dir, 'fragmented.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', shots[1], '-c', 'copy', '-movflags', 'frag_keyframe+empty_moov', fragmented]);
    const moov = await readMoov(fragmented);
    assert.ok(moov, 'a fragmented file has a moov too');
    assert.equal(sampleCounts(moov).size, 0, 'its samples are in moof boxes: the index does not count them');
    const mb = mediabunny();
    for (const file of [...shots, wide, silent, ac3, fragmented]) {
      const input = new mb.Input({ source: new mb.FilePathSource(file), formats: [mb.MP4] });
      try {
        type Track = { computePacketStats(): Promise<{ packetCount: number }> } | null;
        const walked = async (track: Track) => (track ? (await track.computePacketStats()).packetCount : undefined);
        const probed = await probeTake(file);
        assert.equal(probed.video.frames, await walked(await input.getPrimaryVideoTrack()), `${path.basename(file)}: frames`);
        assert.equal(probed.audio?.packets, await walked(await input.getPrimaryAudioTrack()), `${path.basename(file)}: sound packets`);
      } finally {
        input.dispose();
      }
    }
    assert.equal((await probeTake(fragmented)).video.frames, 36);
  });

  it('reads whether a video has sound, and its codec, from the MP4 index', async () => {
    assert.deepEqual(await readSoundFacts(shots[0]), { hasAudio: true, codec: 'aac' });
    assert.deepEqual(await readSoundFacts(silent), { hasAudio: false });
    assert.deepEqual(await readSoundFacts(ac3), { hasAudio: true, codec: 'ac-3' });
    const notVideo = path.join(dir, 'notes.txt');
    await fs.writeFile(notVideo, 'not a video at all');
    assert.equal(await readSoundFacts(notVideo), undefined);
  });

  it('knows a film it wrote from one replaced by hand', async () => {
    const paths = filmPaths(path.join(dir, 'board'), 'films/Teaser.storyboard.md');
    assert.equal(path.basename(paths.film), 'Teaser.film.mp4');
    assert.equal(path.basename(paths.sidecar), 'Teaser.film.json');
    assert.equal(path.basename(paths.timeline), 'Teaser.otio');
    await fs.mkdir(path.dirname(paths.film), { recursive: true });
    assert.equal(await filmOwnership(paths), 'none');
    await fs.copyFile(shots[0], paths.film);
    assert.equal(await filmOwnership(paths), 'replaced', 'a film without a sidecar');
    const stat = await fs.stat(paths.film);
    const sidecar: FilmSidecar = {
      schema: FILM_SCHEMA, version: 1, storyboard: 'films/Teaser.storyboard.md', createdAt: new Date().toISOString(),
      film: { file: 'Teaser.film.mp4', sha256: await sha256File(paths.film), bytes: stat.size, duration: 1, width: 320, height: 180, frameRate: 24 },
      shots: [],
    };
    await fs.writeFile(paths.sidecar, JSON.stringify(sidecar));
    assert.equal(await filmOwnership(paths), 'ours');
    await fs.copyFile(shots[1], paths.film);
    assert.equal(await filmOwnership(paths), 'replaced', 'other bytes');
  });

  it('says which shots changed since the film was assembled', () => {
    const createdAt = '2026-12-01T10:00:00.000Z';
    const at = Date.parse(createdAt);
    const sidecar = {
      schema: FILM_SCHEMA, version: 1, storyboard: 's.storyboard.md', createdAt,
      film: { file: 'f', sha256: '', bytes: 0, duration: 3, width: 1, height: 1, frameRate: 24 },
      shots: [
        { shotId: 'a', title: 'A', take: 'a1.mp4', sha256: '', duration: 1, start: 0 },
        { shotId: 'b', title: 'B', take: 'b1.mp4', sha256: '', duration: 1, start: 1 },
      ],
    } as FilmSidecar;
    assert.deepEqual(staleShots(sidecar, [{ shotId: 'a', take: 'a1.mp4', modifiedMs: at - 5000 }, { shotId: 'b', take: 'b1.mp4', modifiedMs: at - 5000 }]), []);
    assert.deepEqual(staleShots(sidecar, [{ shotId: 'a', take: 'a2.mp4' }, { shotId: 'b', take: 'b1.mp4' }]), ['a'], 'another take chosen');
    assert.deepEqual(staleShots(sidecar, [{ shotId: 'a', take: 'a1.mp4' }, { shotId: 'b', take: 'b1.mp4', modifiedMs: at + 60_000 }]), ['b'], 'the take file rewritten');
    assert.deepEqual(staleShots(sidecar, [{ shotId: 'a', take: 'a1.mp4' }, { shotId: 'b', take: 'b1.mp4' }, { shotId: 'c', take: 'c1.mp4' }]), ['c'], 'a shot added');
    assert.deepEqual(staleShots(sidecar, [{ shotId: 'a', take: 'a1.mp4' }]), ['b'], 'a shot removed');
    assert.deepEqual(staleShots(sidecar, [{ shotId: 'b', take: 'b1.mp4' }, { shotId: 'a', take: 'a1.mp4' }]), ['b', 'a'], 'shots reordered');
  });

  it('writes an OpenTimelineIO timeline: a clip per shot with its take, in and out points and name', () => {
    const t = buildTimeline({ name: 'Teaser', rate: 24, hasAudio: true, shots: [{ name: '1. Dusk', file: shots[0], duration: 1 }, { name: '2. Keeper', file: shots[1], duration: 1.5 }] }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(t.OTIO_SCHEMA, 'Timeline.1');
    assert.equal(t.tracks.OTIO_SCHEMA, 'Stack.1');
    assert.deepEqual(t.tracks.children.map((k: { kind: string }) => k.kind), ['Video', 'Audio']);
    const clips = t.tracks.children[0].children;
    assert.deepEqual(clips.map((c: { name: string }) => c.name), ['1. Dusk', '2. Keeper']);
    assert.equal(clips[1].OTIO_SCHEMA, 'Clip.2');
    assert.deepEqual(clips[1].source_range, { OTIO_SCHEMA: 'TimeRange.1', start_time: { OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 0 }, duration: { OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 36 } });
    assert.equal(clips[1].active_media_reference_key, 'DEFAULT_MEDIA');
    assert.equal(clips[1].media_references.DEFAULT_MEDIA.OTIO_SCHEMA, 'ExternalReference.1');
    assert.equal(clips[1].media_references.DEFAULT_MEDIA.target_url, pathToFileURL(shots[1]).href);
    const silentOnly = buildTimeline({ name: 'x', rate: 24, hasAudio: false, shots: [] }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(silentOnly.tracks.children.length, 1);
  });

  it('parses the film messages from the preview page, and refuses anything else in them', () => {
    assert.deepEqual(parseFilmFromWebview({ type: 'assembleFilm' }), { ok: true, value: { type: 'assembleFilm' } });
    assert.deepEqual(parseFilmFromWebview({ type: 'playWithSound' }), { ok: true, value: { type: 'playWithSound' } });
    assert.deepEqual(parseFilmFromWebview({ type: 'playWithSound', shot: 'abc', take: 'x.mp4' }), { ok: true, value: { type: 'playWithSound', shot: 'abc', take: 'x.mp4' } });
    assert.equal(parseFilmFromWebview({ type: 'choose', shot: 'a', take: 'b' }), undefined, 'not a film message');
    assert.equal(parseFilmFromWebview({ type: 'exportTimeline', path: '/etc/passwd' })?.ok, false);
    assert.equal(parseFilmFromWebview({ type: 'playWithSound', shot: 'a' })?.ok, false);
    assert.equal(parseFilmFromWebview({ type: 'playWithSound', shot: '../x', take: '/etc/passwd' })?.ok, false);
  });
});
