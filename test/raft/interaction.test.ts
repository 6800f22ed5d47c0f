// Golden interaction scripts: whole scenarios told as a story of commands and traces.
// REWRITE=1 npx vitest run --project core test/raft rewrites the expected output; review the diff.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScript } from './interaction.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const scripts = readdirSync(dir).filter((f) => f.endsWith('.txt'));

describe('golden interaction scripts', () => {
  it('there are scripts to run', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(4);
  });

  it.each(scripts)('%s', (file) => {
    const fullPath = path.join(dir, file);
    const expected = readFileSync(fullPath, 'utf8');
    const actual = runScript(expected);
    if (process.env.REWRITE === '1') writeFileSync(fullPath, actual);
    else expect(actual).toBe(expected);
  });
});
