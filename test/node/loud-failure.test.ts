// A node whose core finds a broken invariant stops with a sentence naming node, index and term —
// the sentence the supervisor then shows as the node's last error — instead of going on.

import { describe, expect, it } from 'vitest';
import { makeDefinition } from '../../core/workspace/definition.js';
import { NodeRuntime } from '../../core/node/node-runtime.js';
import type { Message } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';
import { quietTransport } from '../helpers/quiet-transport.js';


describe('loud failure', () => {
  it('a heartbeat committing past a lost log stops the node with a sentence', async () => {
    let deliver: (messages: Message[]) => void = () => {};
    const runtime = new NodeRuntime({
      id: 'n2',
      definition: makeDefinition({ name: 'loud', nodes: 3, basePort: 1 }),
      storage: new MemoryStorage(),
      makeTransport: (onMessages) => {
        deliver = onMessages;
        return quietTransport();
      },
      log: () => {},
      emit: () => {},
    });
    const fatal = new Promise<string>((resolve) => void runtime.start(resolve));
    deliver([{ type: MessageType.Heartbeat, from: 'n1', to: 'n2', term: 3, logTerm: 0, index: 0, entries: [], commit: 40, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    expect(await fatal).toBe('Node n2 stopped: n2 in term 3: asked to commit index 40 but the log ends at 0; was the log truncated or lost?');
    await runtime.stop();
  });

  it('a persisted commit index beyond the log refuses to start', () => {
    const storage = new MemoryStorage();
    storage.setHardState({ term: 4, vote: 'n1', commit: 12 });
    expect(
      () =>
        new NodeRuntime({
          id: 'n2',
          definition: makeDefinition({ name: 'loud', nodes: 3, basePort: 1 }),
          storage,
          makeTransport: () => quietTransport(),
          log: () => {},
          emit: () => {},
        }),
    ).toThrow('n2: the persisted commit index 12 (term 4) is beyond the last log index 0; was the log truncated or lost?');
  });
});
