// Following a node's log: new complete lines arrive, and a log whose folder is moved away (a removed
// node's data is set aside) is simply no longer read — it once crashed the console with ENOENT.

import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followFile } from '../../core/cluster/log-tail.js';
import { waitFor } from '../helpers/test-cluster.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-log-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('followFile', () => {
  it('passes on new lines, and stops quietly when the folder is moved aside', async () => {
    mkdirSync(path.join(dir, 'n3'));
    const file = path.join(dir, 'n3', 'node.log');
    writeFileSync(file, 'before\n');
    const seen: string[] = [];
    const stop = followFile(file, (lines) => seen.push(...lines), 5);
    try {
      await new Promise((r) => setTimeout(r, 50));
      appendFileSync(file, 'one\ntwo\n');
      await waitFor('the new lines', () => seen.length === 2);
      for (let i = 0; i < 20; i++) {
        renameSync(path.join(dir, 'n3'), path.join(dir, `n3.removed-${i}`));
        await new Promise((r) => setTimeout(r, 7));
        renameSync(path.join(dir, `n3.removed-${i}`), path.join(dir, 'n3'));
      }
      renameSync(path.join(dir, 'n3'), path.join(dir, 'n3.removed'));
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual(['one', 'two']);
    } finally {
      stop();
    }
  });
});
