// `raftdesk transfer DIR [--to ID]`: moves leadership to a named node, or to the most up-to-date
// follower, and returns once the new leader leads (etcd's move-leader, hashicorp/raft's
// LeadershipTransfer).

import { connectToWorkspace } from '../connect.js';
import { printJson, say } from '../output.js';
import { waitForLeader } from './wait-for-leader.js';

export async function transferCommand(dir: string, options: { to?: string; json?: boolean; timeoutMs?: string }): Promise<void> {
  const timeoutMs = Number(options.timeoutMs ?? 10_000);
  const { connection, kv } = await connectToWorkspace(dir, timeoutMs);
  try {
    const moved = await kv.transferLeadership(options.to ?? null);
    // The old leader answers once it follows the new one; the new one leads once it answers as such.
    const term = await waitForLeader(kv, moved.leader, timeoutMs);
    if (options.json) printJson({ from: moved.from, leader: moved.leader, term });
    else if (moved.from === moved.leader) say(`${moved.leader} already leads (term ${term}).`);
    else say(`Leadership moved from ${moved.from} to ${moved.leader} (term ${term}).`);
  } finally {
    connection.close();
  }
}
