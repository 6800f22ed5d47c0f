// The replicated key/value state machine. Every replica applies the same committed entries in the
// same order and must end in the same state, so apply() is deterministic: no clock, no randomness,
// and iteration orders (sessions, keys) depend only on the sequence of applied commands.

import type {
  AppendCommand,
  AppliedResult,
  CasCommand,
  Command,
  CommandResult,
  CommandResults,
  NoopCommand,
  RejectedResult,
} from './command.js';
import { decodeCommand } from './command-codec.js';
import { ApplyOrderError, KvDecodeError } from './errors.js';
import { SessionTable } from './session-table.js';
import { decodeKvSnapshot, encodeKvSnapshot, type SubmittedEntry } from './snapshot-codec.js';

export interface KvStateMachineOptions {
  /** Clients whose last result is kept for exactly-once retries; the least recently used is evicted. */
  maxSessions?: number;
  /** How many of the most recent submitted texts are kept. */
  recentSubmissions?: number;
}

export interface KvStats {
  appliedIndex: number;
  keys: number;
  sessions: number;
  /** Every submit ever applied, including those no longer kept. */
  submittedCount: number;
  /** The most recent submissions, oldest first. */
  recentSubmissions: SubmittedEntry[];
}

export const DEFAULT_MAX_SESSIONS = 10_000;
export const DEFAULT_RECENT_SUBMISSIONS = 100;

type ExecutedCommand = Exclude<Command, NoopCommand>;

export class KvStateMachine {
  private values = new Map<string, string>();
  private sessions: SessionTable;
  /** Oldest first; at most recentLimit long. */
  private recent: SubmittedEntry[] = [];
  private submittedCount = 0;
  private applied = 0;
  private readonly recentLimit: number;

  constructor(options: KvStateMachineOptions = {}) {
    this.sessions = new SessionTable(options.maxSessions ?? DEFAULT_MAX_SESSIONS);
    this.recentLimit = options.recentSubmissions ?? DEFAULT_RECENT_SUBMISSIONS;
  }

  /** Index of the last applied entry (or of the restored snapshot). */
  get appliedIndex(): number {
    return this.applied;
  }

  /** Number of keys present. */
  get size(): number {
    return this.values.size;
  }

  /** A local read: as fresh as this replica's appliedIndex, which may lag the leader's. */
  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  stats(): KvStats {
    return {
      appliedIndex: this.applied,
      keys: this.values.size,
      sessions: this.sessions.size,
      submittedCount: this.submittedCount,
      recentSubmissions: this.recent.map((entry) => ({ ...entry })),
    };
  }

  /**
   * Applies the committed entry at `index`, which must be appliedIndex + 1: entries are applied
   * exactly once, in order. Data that is not a command is rejected, not thrown, so that one bad
   * entry cannot stop every replica at the same index forever.
   */
  apply(index: number, data: Uint8Array): CommandResult {
    if (index !== this.applied + 1) throw new ApplyOrderError(this.applied + 1, index);
    this.applied = index;
    let command: Command;
    try {
      command = decodeCommand(data);
    } catch (error) {
      if (!(error instanceof KvDecodeError)) throw error;
      return rejected('malformed-command', `Entry ${index} was not applied because its data is not a command (${error.message}).`);
    }
    if (command.op === 'noop') return EMPTY;
    const session = command.session;
    if (session) {
      const check = this.sessions.check(session.clientId, session.seq);
      if (check.kind === 'duplicate') return check.result;
      if (check.kind === 'stale') {
        return rejected(
          'stale-sequence',
          `Client ${session.clientId} already applied seq ${check.lastSeq}, so seq ${session.seq} was not applied again; use a new seq for a new command.`,
        );
      }
    }
    const result = this.execute(index, command);
    if (session) this.sessions.record(session.clientId, session.seq, result);
    return result;
  }

  snapshot(): Uint8Array {
    return encodeKvSnapshot({
      appliedIndex: this.applied,
      submittedCount: this.submittedCount,
      recentSubmissions: this.recent,
      sessions: [...this.sessions.entries()],
      values: [...this.values],
    });
  }

  /** Replaces the whole state with a snapshot's. Throws KvDecodeError and leaves the state untouched if it is malformed. */
  restore(bytes: Uint8Array): void {
    const contents = decodeKvSnapshot(bytes);
    const sessions = new SessionTable(this.sessions.limit);
    for (const [clientId, record] of contents.sessions) sessions.record(clientId, record.lastSeq, freeze(record.result));
    this.values = new Map(contents.values);
    this.sessions = sessions;
    this.recent = contents.recentSubmissions.slice(-this.recentLimit);
    this.submittedCount = contents.submittedCount;
    this.applied = contents.appliedIndex;
  }

  private execute(index: number, command: ExecutedCommand): AppliedResult {
    switch (command.op) {
      case 'put':
        this.values.set(command.key, command.value);
        return EMPTY;
      case 'get':
        return freeze<CommandResults['get']>({ value: this.get(command.key) });
      case 'delete':
        return freeze<CommandResults['delete']>({ existed: this.values.delete(command.key) });
      case 'cas':
        return this.compareAndSet(command);
      case 'append':
        return this.append(command);
      case 'submit':
        this.submittedCount++;
        this.recent.push({ index, text: command.text });
        if (this.recent.length > this.recentLimit) this.recent.shift();
        return EMPTY;
    }
  }

  private compareAndSet(command: CasCommand): CommandResults['cas'] {
    const current = this.get(command.key);
    if (current !== command.expected) return freeze({ swapped: false, current });
    this.values.set(command.key, command.value);
    return freeze({ swapped: true, current: command.value });
  }

  private append(command: AppendCommand): CommandResults['append'] {
    const value = (this.values.get(command.key) ?? '') + command.suffix;
    this.values.set(command.key, value);
    return freeze({ value });
  }
}

/** Results are shared with the session table (a retry returns the same object), so they are frozen. */
function freeze<T extends object>(result: T): T {
  return Object.freeze(result);
}

const EMPTY: Record<string, never> = freeze({});

function rejected(reason: RejectedResult['rejected'], message: string): RejectedResult {
  return { rejected: reason, message };
}
