// A real node whose free-space probe reads a file the test writes instead of asking the filesystem,
// so that the space alarm can be tested without filling a disk: JSON {"n2": bytes, "*": bytes},
// keyed by node ID, at the path in RAFTDESK_TEST_FREE_BYTES_FILE. Forked instead of core/node/main.ts
// by tests that call useNodeEntryForTests; nothing shipped contains this code.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { statfsProbe, useFreeSpaceProbeForTests } from '../../core/node/disk-space.js';

const file = process.env.RAFTDESK_TEST_FREE_BYTES_FILE;
if (file) {
  useFreeSpaceProbeForTests(async (dir) => {
    const table = JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{}')) as Record<string, number>;
    // The data folder is nodes/<id>/data.
    const n = table[path.basename(path.dirname(dir))] ?? table['*'];
    return typeof n === 'number' ? n : statfsProbe(dir);
  });
}
await import('../../core/node/main.js');
