// Draws the extension icon (images/icon.png, 128×128 RGBA): a meter dial on a dark rounded square — a
// bandwidth gauge whose needle sits in the red, as decode usually does. No image library: pixels are
// computed with 4×4 supersampling and written as a PNG with node's zlib.
//   node scripts/make-icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;

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
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}

function png(width, height, rgba) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // RGBA
	const raw = Buffer.alloc(height * (width * 4 + 1));
	for (let y = 0; y < height; y++) {
		raw[y * (width * 4 + 1)] = 0; // filter: none
		rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
	}
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	return Buffer.concat([
		signature,
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

const BG = [20, 33, 61];
const TRACK = [58, 80, 120];
const COLD = [64, 196, 160];
const HOT = [240, 90, 70];
const NEEDLE = [250, 250, 250];

/** Colour of one sample point (coordinates in 0..128), or null for transparent. */
function sample(x, y) {
	const r = 22; // corner radius of the background square
	const cx = Math.min(Math.max(x, r), SIZE - r);
	const cy = Math.min(Math.max(y, r), SIZE - r);
	if (Math.hypot(x - cx, y - cy) > r) return null;
	const ox = 64;
	const oy = 76;
	const dx = x - ox;
	const dy = y - oy;
	const d = Math.hypot(dx, dy);
	// Angle from the left end of the dial (0) to the right end (1), over the upper 240°.
	const a = Math.atan2(-dy, dx);
	const t = ((210 - (a * 180) / Math.PI + 360) % 360) / 240;
	if (d >= 38 && d <= 48 && t >= 0 && t <= 1) {
		if (t > 0.72) return HOT;
		return t < 0.72 ? COLD.map((c, i) => Math.round(c + (TRACK[i] - c) * 0.15)) : TRACK;
	}
	// Needle: from the hub towards t = 0.85.
	const na = ((210 - 0.85 * 240) * Math.PI) / 180;
	const nx = Math.cos(na);
	const ny = -Math.sin(na);
	const along = dx * nx + dy * ny;
	const across = Math.abs(dx * ny - dy * nx);
	if (along >= -4 && along <= 40 && across <= 3.2 - along * 0.05) return NEEDLE;
	if (d <= 8) return NEEDLE;
	// Three bars under the dial: weights, KV, activations streaming out of memory.
	for (const [bx, h] of [
		[40, 12],
		[58, 18],
		[76, 8],
	])
		if (x >= bx && x <= bx + 12 && y >= 112 - h && y <= 112) return TRACK;
	return BG;
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
	for (let px = 0; px < SIZE; px++) {
		let r = 0;
		let g = 0;
		let b = 0;
		let a = 0;
		for (let sy = 0; sy < SS; sy++) {
			for (let sx = 0; sx < SS; sx++) {
				const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
				if (!c) continue;
				r += c[0];
				g += c[1];
				b += c[2];
				a++;
			}
		}
		const i = (py * SIZE + px) * 4;
		if (a > 0) {
			rgba[i] = Math.round(r / a);
			rgba[i + 1] = Math.round(g / a);
			rgba[i + 2] = Math.round(b / a);
			rgba[i + 3] = Math.round((255 * a) / (SS * SS));
		}
	}
}

mkdirSync('images', { recursive: true });
writeFileSync('images/icon.png', png(SIZE, SIZE, rgba));
console.log('wrote images/icon.png');
