#!/usr/bin/env node
// Renders the app icons from icon.svg (and icon-small.svg below 48 px) with Debian's Chromium through
// playwright-core, never a downloaded browser, then packs the macOS .icns and Windows .ico from the
// PNGs. Run it after changing an SVG: `node build/make-icons.js` (needs /usr/bin/chromium or
// CHROMIUM_PATH). The outputs are committed, so packaging itself never needs a browser.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const here = new URL('./', import.meta.url);
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const SMALL_BELOW = 48;

/** ICNS element types holding PNG data, by the pixel size they carry (retina variants share sizes). */
const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

async function renderAll() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const svgs = { large: await readFile(new URL('icon.svg', here), 'utf8'), small: await readFile(new URL('icon-small.svg', here), 'utf8') };
    const pngs = new Map();
    for (const size of SIZES) {
      const svg = size < SMALL_BELOW ? svgs.small : svgs.large;
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`);
      pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    return pngs;
  } finally {
    await browser.close();
  }
}

/** Apple Icon Image: "icns", total length, then (type, length incl. 8-byte header, PNG) elements; big-endian. */
function icns(pngs) {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const png = pngs.get(size);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([header, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + elements.reduce((sum, e) => sum + e.length, 0), 4);
  return Buffer.concat([header, ...elements]);
}

/** Windows icon: ICONDIR, one 16-byte ICONDIRENTRY per image (0 means 256 px), then PNG images; little-endian. */
function ico(pngs) {
  const images = ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

const pngs = await renderAll();
await mkdir(new URL('icons/', here), { recursive: true });
for (const [size, png] of pngs) await writeFile(new URL(`icons/${size}x${size}.png`, here), png);
await writeFile(new URL('icon.png', here), pngs.get(1024));
await writeFile(new URL('icon.icns', here), icns(pngs));
await writeFile(new URL('icon.ico', here), ico(pngs));
console.log(`icons written: ${SIZES.length} PNGs in build/icons/, build/icon.png, build/icon.icns, build/icon.ico`);
