// The typed errors of the key/value state machine. Callers tell bad input (decode errors) from
// programming errors (apply order) by class, never by message text.

/** What a decode error was reading: entry data (a command) or a state-machine snapshot. */
export type DecodedSubject = 'command' | 'snapshot';

/** Bytes that are not a valid command or snapshot. Decoding never throws anything else. */
export class KvDecodeError extends Error {
  constructor(
    readonly subject: DecodedSubject,
    /** Byte offset where decoding stopped. */
    readonly offset: number,
    detail: string,
  ) {
    super(`malformed ${subject} at byte ${offset}: ${detail}`);
    this.name = 'KvDecodeError';
  }
}

/** A command that cannot be encoded (a lone UTF-16 surrogate, a sequence number that is not a safe integer). */
export class KvEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KvEncodeError';
  }
}

/** apply() was called out of order: committed entries must be applied exactly once, in index order. */
export class ApplyOrderError extends Error {
  constructor(
    readonly expected: number,
    readonly got: number,
  ) {
    super(`entry ${got} applied out of order: the next entry to apply is ${expected}`);
    this.name = 'ApplyOrderError';
  }
}
