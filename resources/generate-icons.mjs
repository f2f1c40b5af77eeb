// Draws the app and tray icons as PNGs with nothing but zlib, so they can be regenerated on any
// machine: `node resources/generate-icons.mjs`. The PNGs are committed; packaging reads them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
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
/** RGBA pixels (Float64 0..1 per channel, straight alpha) -> PNG bytes. */
function encodePng(size, rgba) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 4; c++) {
        raw[y * (size * 4 + 1) + 1 + x * 4 + c] = Math.round(Math.min(1, Math.max(0, rgba[(y * size + x) * 4 + c])) * 255);
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);

/**
 * A coin: a filled disc in the state colour with a white ring and a rising "sum curve" mark.
 * Coverage is supersampled 4x4 per pixel so small tray sizes stay smooth.
 */
function drawCoin(size, colour, mark) {
  const [r, g, b] = hex(colour);
  const px = new Float64Array(size * size * 4);
  const S = 4;
  const c = size / 2;
  const R = size * 0.47;
  const ringIn = R * 0.78;
  const ringOut = R * 0.86;
  const stroke = Math.max(size * 0.085, 1.2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let disc = 0;
      let white = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const fx = x + (sx + 0.5) / S;
          const fy = y + (sy + 0.5) / S;
          const d = Math.hypot(fx - c, fy - c);
          if (d > R) continue;
          disc++;
          if (d >= ringIn && d <= ringOut) white++;
          else if (mark(fx / size, fy / size, stroke / size)) white++;
        }
      }
      const a = disc / (S * S);
      const w = disc ? white / disc : 0;
      const i = (y * size + x) * 4;
      px[i] = r * (1 - w) + w;
      px[i + 1] = g * (1 - w) + w;
      px[i + 2] = b * (1 - w) + w;
      px[i + 3] = a;
    }
  }
  return encodePng(size, px);
}

function nearSegment(x, y, [x1, y1], [x2, y2], half) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) <= half;
}
const polyline = (pts) => (x, y, w) => pts.slice(1).some((p, i) => nearSegment(x, y, pts[i], p, w / 2));

const marks = {
  // a rising zig-zag: the sum curve
  curve: polyline([
    [0.3, 0.62],
    [0.43, 0.5],
    [0.54, 0.58],
    [0.7, 0.38],
  ]),
  // a check mark: fresh
  check: polyline([
    [0.32, 0.52],
    [0.45, 0.64],
    [0.68, 0.38],
  ]),
  // two arrows chasing: syncing
  sync: (x, y, w) =>
    polyline([
      [0.32, 0.45],
      [0.68, 0.45],
      [0.6, 0.38],
    ])(x, y, w) ||
    polyline([
      [0.68, 0.57],
      [0.32, 0.57],
      [0.4, 0.64],
    ])(x, y, w),
  // an exclamation mark: error
  error: (x, y, w) => nearSegment(x, y, [0.5, 0.32], [0.5, 0.56], w / 2) || Math.hypot(x - 0.5, y - 0.66) <= w * 0.7,
  // two bars: paused
  paused: (x, y, w) => nearSegment(x, y, [0.42, 0.36], [0.42, 0.64], w / 2) || nearSegment(x, y, [0.58, 0.36], [0.58, 0.64], w / 2),
};

const out = (...p) => {
  const f = path.join(here, ...p);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  return f;
};

const APP_COLOUR = '#1f6feb';
fs.writeFileSync(out('icon.png'), drawCoin(512, APP_COLOUR, marks.curve));
// Linux icon set (electron-builder reads "<size>x<size>.png" from a folder).
for (const s of [16, 32, 48, 64, 128, 256, 512]) fs.writeFileSync(out('icons', `${s}x${s}.png`), drawCoin(s, APP_COLOUR, marks.curve));

const trayStates = {
  ok: ['#2da44e', marks.check],
  syncing: ['#1f6feb', marks.sync],
  error: ['#cf222e', marks.error],
  paused: ['#9a6700', marks.paused],
};
for (const [state, [colour, mark]] of Object.entries(trayStates)) {
  fs.writeFileSync(out('tray', `${state}.png`), drawCoin(16, colour, mark));
  // Electron picks "@2x" automatically on HiDPI screens.
  fs.writeFileSync(out('tray', `${state}@2x.png`), drawCoin(32, colour, mark));
}
console.log('icons written to', here);
