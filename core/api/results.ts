// Outcomes of client operations, as the console shows them.

export type ClientErrorCode =
  | 'no-leader'
  | 'not-leader'
  | 'timeout'
  | 'unavailable'
  | 'bad-request'
  | 'not-found'
  /** A body or key over the size limits (413, 414). */
  | 'too-large'
  /** The node's disk is nearly full: it refuses writes until space is freed (507). */
  | 'no-space'
  | 'internal';

export interface ClientFailure {
  ok: false;
  code: ClientErrorCode;
  /** One sentence saying what happened and what to do. */
  error: string;
}

export type WriteOutcome =
  | { ok: true; index: number; term: number; latencyMs: number; node: string }
  | ClientFailure;

export type ReadOutcome =
  | { ok: true; value: string | null; latencyMs: number; node: string }
  | ClientFailure;
