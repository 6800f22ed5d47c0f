// The key/value state machine: commands, their binary encoding, previews, and the machine itself.
export type * from './command.js';
export { isRejected } from './command.js';
export { encodeCommand, decodeCommand } from './command-codec.js';
export { describeCommand, type CommandDescription, type CommandKind } from './describe.js';
export { ApplyOrderError, KvDecodeError, KvEncodeError, type DecodedSubject } from './errors.js';
export type { SubmittedEntry } from './snapshot-codec.js';
export {
  DEFAULT_MAX_SESSIONS,
  DEFAULT_RECENT_SUBMISSIONS,
  KvStateMachine,
  type KvStateMachineOptions,
  type KvStats,
} from './state-machine.js';
