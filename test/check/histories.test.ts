// Hand-made histories, one scenario per file: the verdict is in the name (NAME.linearizable.jsonl or
// NAME.not-linearizable.jsonl); a sidecar NAME.anomaly.json pins the key and the invoke lines of the
// operations reported as the anomaly.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory, parseHistory } from '../../core/check/index.js';

const folder = path.join(path.dirname(new URL(import.meta.url).pathname), 'histories');
const files = readdirSync(folder).filter((name) => name.endsWith('.jsonl'));

describe('hand-made histories', () => {
  it('are all here', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files)('%s', (name) => {
    const match = /^(.*)\.(linearizable|not-linearizable)\.jsonl$/.exec(name);
    expect(match, `${name} must end in .linearizable.jsonl or .not-linearizable.jsonl`).not.toBeNull();
    const [, base, verdict] = match!;
    const result = checkHistory(parseHistory(readFileSync(path.join(folder, name), 'utf8')), { now: Date.now });
    expect(result.linearizable).toBe(verdict === 'linearizable');

    const sidecar = path.join(folder, `${base}.anomaly.json`);
    if (verdict === 'not-linearizable') {
      const expected = JSON.parse(readFileSync(sidecar, 'utf8')) as { key: string; lines: number[] };
      expect({ key: result.key, lines: result.anomaly!.map((op) => op.invokeLine) }).toEqual(expected);
    }
  });
});
