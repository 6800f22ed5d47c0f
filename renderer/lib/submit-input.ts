// What the submit box means by what the operator typed. The rules, in order:
//   ""             → nothing
//   get KEY        → a read of KEY (linearizable unless the box's Reads choice says otherwise)
//   "any text"     → a free-text entry, quotes removed (the escape hatch for text containing `=`)
//   KEY=VALUE      → put VALUE at KEY (KEY has no spaces and no `=`; spaces around `=` are ignored)
//   anything else  → a free-text entry

import type { ReadConsistency } from '../../core/api/index.js';

export type SubmitCommand =
  | { kind: 'empty' }
  | { kind: 'get'; key: string }
  | { kind: 'put'; key: string; value: string }
  | { kind: 'entry'; text: string };

const GET = /^get\s+(\S+)$/i;
const QUOTED = /^"([\s\S]*)"$/;
const PUT = /^([^\s=]+)\s*=\s*([\s\S]*)$/;

export function parseSubmitInput(raw: string): SubmitCommand {
  const text = raw.trim();
  if (text === '') return { kind: 'empty' };
  const get = GET.exec(text);
  if (get) return { kind: 'get', key: get[1] };
  const quoted = QUOTED.exec(text);
  if (quoted) return { kind: 'entry', text: quoted[1] };
  const put = PUT.exec(text);
  if (put) return { kind: 'put', key: put[1], value: put[2] };
  return { kind: 'entry', text };
}

const READ_HOW: Record<ReadConsistency, string> = {
  linearizable: 'the leader confirms it still leads (ReadIndex); no log entry',
  lease: "under the leader's lease, without a heartbeat round",
  local: "from one node's own state, possibly stale",
};

/** A short label for what pressing Enter will do, shown under the box. */
export function describeSubmitCommand(command: SubmitCommand, consistency: ReadConsistency = 'linearizable'): string {
  switch (command.kind) {
    case 'empty':
      return 'Type key=value to put, get key to read, or any text to append an entry.';
    case 'get':
      return `Read ${command.key}: ${READ_HOW[consistency]}.`;
    case 'put':
      return `Put ${command.key} = ${JSON.stringify(command.value)}.`;
    case 'entry':
      return 'Append a free-text entry.';
  }
}
