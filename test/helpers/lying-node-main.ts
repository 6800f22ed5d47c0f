// A node process with a deliberately broken rule, for proving that the chaos checks catch a node
// that lies: the leader answers a write as soon as it is appended — before it commits — with a result
// guessed from its own, possibly stale, state machine. Forked instead of core/node/main.ts by tests
// that call useNodeEntryForTests (core/cluster/entry-points.ts); nothing shipped contains this code.

import type { Command, CommandResult } from '../../core/kv/index.js';
import { encodeCommand } from '../../core/kv/index.js';
import { NodeRuntime, type Applied } from '../../core/node/node-runtime.js';
import { ProposalError } from '../../core/raft/errors.js';
import type { ReadyDriver } from '../../core/host/ready-driver.js';

/** What the broken node claims a command returned, computed from its possibly stale local state. */
function guessResult(command: Command, read: (key: string) => string | null): CommandResult {
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

interface RuntimeInternals {
  driver: ReadyDriver;
}

const honestPropose = NodeRuntime.prototype.propose;

NodeRuntime.prototype.propose = async function lyingPropose(this: NodeRuntime, command: Command): Promise<Applied> {
  const { role } = this.status();
  // Followers redirect as usual; only the leader lies.
  if (role !== 'leader') return honestPropose.call(this, command);
  const result = guessResult(command, (key) => this.localGet(key));
  const data = encodeCommand(command);
  const proposed = (this as unknown as RuntimeInternals).driver.input((raw) => raw.propose(data), (e) => e instanceof ProposalError);
  if (!proposed) return honestPropose.call(this, command);
  return { result, index: proposed.index, term: proposed.term };
};

await import('../../core/node/main.js');
