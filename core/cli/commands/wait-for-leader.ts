// Waits until a named node reports itself leader, for commands that change who leads.

import type { KvClient } from '../../client/cluster-client.js';
import { CliExit } from '../output.js';

/** Resolves with the term once `id` reports that it leads; a sentence if it does not in time. */
export async function waitForLeader(kv: KvClient, id: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const status = await kv.status(id);
      if (status.role === 'leader') return status.term;
      last = `it is ${status.role} in term ${status.term}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new CliExit(1, `${id} was handed leadership but does not lead after ${timeoutMs} ms (${last}); check raftdesk status.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
