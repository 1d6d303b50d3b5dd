// Draws media/icon.png (128x128, the Marketplace / Extensions view icon) with no image tools: shapes as
// distance tests, 4x4 supersampling for smooth edges, and a minimal PNG encoder (zlib + CRC32 from Node).
//   node scripts/make-icon.mjs [out.png]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SS = 4; // samples per axis
const out = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');

const lerp = (a, b, t) => a + (b - a) * t;
const mix = (c1, c2, t) => c1.map((v, i) => lerp(v, c2[i], t));

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const s = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry);
  const d1 = s(x, y, ax, ay, bx, by);
  const d2 = s(x, y, bx, by, cx, cy);
  const d3 = s(x, y, cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}
/** A four-point sparkle: |dx|^p + |dy|^p <= r^p with p < 1 gives concave sides. */
function inSparkle(x, y, cx, cy, r) {
  const p = 0.5;
  return Math.abs(x - cx) ** p + Math.abs(y - cy) ** p <= r ** p;
}

const top = [88, 48, 255];
const bottom = [255, 61, 127];
function sample(x, y) {
  if (!inRoundedRect(x, y, 4, 4, 124, 124, 26)) return [0, 0, 0, 0];
  const t = Math.min(1, Math.max(0, (x * 0.35 + y) / (128 * 1.35)));
  let c = mix(top, bottom, t);
  // film-strip perforations along the left and right edges
  for (let i = 0; i < 5; i++) {
    const yy = 18 + i * 21;
    if (inRoundedRect(x, y, 12, yy, 22, yy + 11, 2.5) || inRoundedRect(x, y, 106, yy, 116, yy + 11, 2.5)) {
      c = mix(c, [255, 255, 255], 0.35);
    }
  }
  if (inTriangle(x, y, [48, 36], [48, 92], [92, 64])) c = [255, 255, 255];
  if (inSparkle(x, y, 88, 32, 13)) c = [255, 244, 200];
  return [...c, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const [r, g, b, a] = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        acc[0] += r * a; acc[1] += g * a; acc[2] += b * a; acc[3] += a;
      }
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    const alpha = acc[3] / (SS * SS);
    for (let i = 0; i < 3; i++) raw[o + i] = acc[3] ? Math.round(acc[i] / acc[3]) : 0;
    raw[o + 3] = Math.round(alpha);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${SIZE}x${SIZE}, ${png.length} bytes)`);
