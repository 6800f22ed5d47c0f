// The committed app icons (made by build/make-icons.js) are what electron-builder's config names,
// and each container holds PNGs of the sizes it declares.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const build = new URL('../../build/', import.meta.url);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('app icons', () => {
  it.each([16, 24, 32, 48, 64, 128, 256, 512, 1024])('build/icons/%ix%i.png is a square PNG of that size (Linux)', (size) => {
    expect(pngSize(readFileSync(new URL(`icons/${size}x${size}.png`, build)))).toEqual({ width: size, height: size });
  });

  it('build/icon.ico holds PNGs from 16 to 256 px (Windows)', () => {
    const ico = readFileSync(new URL('icon.ico', build));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes: number[] = [];
    for (let i = 0; i < ico.readUInt16LE(4); i++) {
      const entry = 6 + 16 * i;
      const declared = ico.readUInt8(entry) || 256;
      const png = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
      expect(pngSize(png)).toEqual({ width: declared, height: declared });
      sizes.push(declared);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('build/icon.icns holds PNGs up to 1024 px, each of the size its type means (macOS)', () => {
    const icns = readFileSync(new URL('icon.icns', build));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const pixels: Record<string, number> = { icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 };
    const types: string[] = [];
    for (let at = 8; at < icns.length; ) {
      const type = icns.toString('ascii', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      const size = pixels[type];
      expect(size, `unknown icns element ${type}`).toBeDefined();
      expect(pngSize(icns.subarray(at + 8, at + length))).toEqual({ width: size, height: size });
      types.push(type);
      at += length;
    }
    expect(types).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10']));
  });

  it('are the files build/electron-builder.yml names', () => {
    const config = readFileSync(new URL('electron-builder.yml', build), 'utf8');
    expect(config).toMatch(/^ {2}icon: build\/icons$/m);
    expect(config).toMatch(/^ {2}icon: build\/icon\.icns$/m);
    expect(config).toMatch(/^ {2}icon: build\/icon\.ico$/m);
  });
});
