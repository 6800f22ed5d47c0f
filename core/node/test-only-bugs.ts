// Deliberately broken behaviour, for proving that the chaos checks catch a node that lies. Switched
// on only by the environment variable RAFTDESK_TEST_ONLY_BUG, which nothing but tests sets.

import type { Command, CommandResult } from '../kv/index.js';

export type TestOnlyBug =
  /** Answer writes as soon as they are appended on the leader, before they commit, and answer reads
   *  from the leader's own state machine without going through the log. */
  'ack-before-commit';

export function testOnlyBug(): TestOnlyBug | null {
  const value = process.env.RAFTDESK_TEST_ONLY_BUG;
  return value === 'ack-before-commit' ? value : null;
}

/** What the broken node claims a command returned, computed from its possibly stale local state. */
export function guessResult(command: Command, read: (key: string) => string | null): CommandResult {
  switch (command.op) {
    case 'put':
    case 'submit':
    case 'noop':
      return {};
    case 'get':
      return { value: read(command.key) };
    case 'delete':
      return { existed: read(command.key) !== null };
    case 'cas': {
      const current = read(command.key);
      return { swapped: current === command.expected, current };
    }
    case 'append':
      return { value: (read(command.key) ?? '') + command.suffix };
  }
}
