// The commands the replicated state machine applies, and what each returns. A command is the data
// of one log entry; empty data is the no-op a new leader appends.

/** Identifies a client's command for exactly-once application: a retry reuses the same seq. */
export interface ClientSession {
  clientId: string;
  /** Increases with each new command of this client; a non-negative safe integer. */
  seq: number;
}

interface SessionField {
  session?: ClientSession;
}

export interface PutCommand extends SessionField {
  op: 'put';
  key: string;
  value: string;
}

/** A linearizable read: it goes through the log like a write. */
export interface GetCommand extends SessionField {
  op: 'get';
  key: string;
}

export interface DeleteCommand extends SessionField {
  op: 'delete';
  key: string;
}

/** Compare-and-set: sets value only if the key's current value is `expected` (null = the key is absent). */
export interface CasCommand extends SessionField {
  op: 'cas';
  key: string;
  expected: string | null;
  value: string;
}

/** Appends suffix to the key's value; an absent key counts as "". */
export interface AppendCommand extends SessionField {
  op: 'append';
  key: string;
  suffix: string;
}

/** A free-form entry (the operator's text); the machine counts them and keeps the most recent. */
export interface SubmitCommand extends SessionField {
  op: 'submit';
  text: string;
}

/** The empty entry a new leader appends: encoded as zero bytes, changes nothing. */
export interface NoopCommand {
  op: 'noop';
}

export type Command = PutCommand | GetCommand | DeleteCommand | CasCommand | AppendCommand | SubmitCommand | NoopCommand;
export type CommandOp = Command['op'];

/** What each command returns when applied (the shapes the client API passes on). */
export interface CommandResults {
  put: Record<string, never>;
  get: { value: string | null };
  delete: { existed: boolean };
  cas: { swapped: boolean; current: string | null };
  append: { value: string };
  submit: Record<string, never>;
  noop: Record<string, never>;
}

export type RejectReason =
  /** The entry's data is not a command (only possible if something other than encodeCommand wrote it). */
  | 'malformed-command'
  /** The client's seq is older than its last applied one: the result of that command is no longer kept. */
  | 'stale-sequence';

/** A committed entry that was not applied. It still advances appliedIndex, identically on every replica. */
export interface RejectedResult {
  rejected: RejectReason;
  /** One sentence. */
  message: string;
}

export type AppliedResult = CommandResults[CommandOp];
export type CommandResult = AppliedResult | RejectedResult;

export function isRejected(result: CommandResult): result is RejectedResult {
  return 'rejected' in result;
}
