// Outcomes of client operations, as the console shows them.

import type { ReadConsistency } from './reads.js';

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

/** A read as the node answered it: the path it took (the consistency), the read index it confirmed
 *  (null for local reads) and the index it had applied when it answered. */
export interface ReadPath {
  consistency: ReadConsistency;
  readIndex: number | null;
  appliedIndex: number | null;
}

export type ReadOutcome =
  | ({ ok: true; value: string | null; latencyMs: number; node: string } & ReadPath)
  | ClientFailure;
