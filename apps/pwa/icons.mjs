// @ts-check
/**
 * The app's icons, drawn at build time instead of committed as binaries: a white warning triangle with a dark
 * exclamation mark on the office blue, as PNGs (RGBA, zlib-deflated scanlines, CRC-32 per chunk, per the PNG spec).
 * "maskable" icons keep their drawing inside the central 80 % safe zone.
 */
import { crc32, deflateSync } from 'node:zlib';

const BLUE = [11, 79, 138, 255];
const WHITE = [255, 255, 255, 255];
const INK = [26, 26, 26, 255];

/** The colour of pixel (x, y) of a `size`×`size` icon, in unit coordinates of the safe zone. */
function pixel(x, y, size) {
  const u = (x + 0.5) / size;
  const v = (y + 0.5) / size;
  // triangle with apex (0.5, 0.22) and base y = 0.76 from 0.2 to 0.8
  const top = 0.22;
  const bottom = 0.76;
  const inTriangle = v >= top && v <= bottom && Math.abs(u - 0.5) <= ((v - top) / (bottom - top)) * 0.3;
  if (!inTriangle) return BLUE;
  const bar = Math.abs(u - 0.5) <= 0.03 && v >= 0.38 && v <= 0.6;
  const dot = Math.hypot(u - 0.5, v - 0.67) <= 0.035;
  return bar || dot ? INK : WHITE;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** @param {number} size */
export function drawIcon(size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (1 + size * 4));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 4);
    rows[row] = 0; // no filter
    for (let x = 0; x < size; x++) rows.set(pixel(x, y, size), row + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** @returns {import('vite').Plugin} */
export function iconPlugin() {
  return {
    name: 'bousai-pwa-icons',
    generateBundle() {
      for (const size of [192, 512]) {
        this.emitFile({ type: 'asset', fileName: `icon-${size}.png`, source: drawIcon(size) });
      }
      this.emitFile({ type: 'asset', fileName: 'apple-touch-icon.png', source: drawIcon(180) });
    },
  };
}
