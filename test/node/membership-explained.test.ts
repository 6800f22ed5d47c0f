// At start a node says where cluster.json and the configuration committed in its data disagree —
// the data is the truth; cluster.json only gives addresses — instead of obeying either silently.

import { describe, expect, it } from 'vitest';
import { makeDefinition } from '../../core/workspace/definition.js';
import type { NodeToSupervisor } from '../../core/node/ipc-protocol.js';
import { NodeRuntime } from '../../core/node/node-runtime.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';
import { quietTransport } from '../helpers/quiet-transport.js';


async function eventsAtStart(voters: string[], learners: string[]): Promise<string[]> {
  const storage = new MemoryStorage();
  storage.setHardState({ term: 3, vote: '', commit: 0, conf: { voters, votersOutgoing: [], learners, learnersNext: [], autoLeave: false, index: 0 } });
  const messages: NodeToSupervisor[] = [];
  const runtime = new NodeRuntime({
    id: 'n1',
    definition: makeDefinition({ name: 'explain', nodes: 3, basePort: 1 }),
    storage,
    makeTransport: () => quietTransport(),
    log: () => {},
    emit: (m) => messages.push(m),
  });
  await runtime.start(() => {});
  await runtime.stop();
  return messages.filter((m): m is Extract<NodeToSupervisor, { type: 'event' }> => m.type === 'event' && m.kind === 'error').map((m) => m.message);
}

describe('cluster.json against the committed configuration', () => {
  it('says nothing when they agree', async () => {
    expect(await eventsAtStart(['n1', 'n2'], ['n3'])).toEqual([]);
  });

  it('names members cluster.json lacks, and listed nodes the configuration lacks', async () => {
    expect(await eventsAtStart(['n1', 'n2', 'n4'], [])).toEqual([
      "n1's committed configuration includes n4, which cluster.json does not list, so n1 cannot reach it; add its address back to cluster.json, or remove it with raftdesk member remove.",
      'cluster.json lists n3, which n1\'s committed configuration does not include, so it does not vote; add it with raftdesk member add, or take it out of cluster.json.',
    ]);
  });
});
