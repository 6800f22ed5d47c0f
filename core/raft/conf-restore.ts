// Where a node's configuration comes from: the entries that change it, and what it starts with —
// the newest of what it persisted (the hard state's, the snapshot's), else the configured voters
// of a new cluster, then every change in its log that the host had applied before the restart but
// whose result was not yet persisted.

import type { ConfState, Entry, HardState, NodeId } from './types.js';
import { EntryType } from './types.js';
import type { Storage } from './storage.js';
import { RaftInvariantError } from './errors.js';
import { applyConfChange, checkConfState, sameConfState, votersConfState } from './confchange.js';
import { decodeConfChange } from './conf-change-data.js';

/** A node that knows no configuration at all: one joining a running cluster. */
export function isUnconfigured(cs: ConfState): boolean {
  return cs.index === 0 && cs.voters.length === 0 && cs.votersOutgoing.length === 0 && cs.learners.length === 0;
}

/**
 * The configuration after the committed change `entry`. The entry states its result; a node that
 * knows its configuration recomputes it and fails loudly when they differ (the logs or the
 * configurations diverged), unless `adoptOnMismatch` (a mutation test's broken rule). A node that
 * knows none adopts the result.
 */
export function confAfterEntry(owner: string, current: ConfState, entry: Entry, adoptOnMismatch = false): ConfState {
  const { change, result } = decodeConfChange(entry.data);
  const stated: ConfState = { ...result, index: entry.index };
  checkConfState(stated);
  if (isUnconfigured(current)) return stated;
  let expected: ConfState | null = null;
  let why = '';
  try {
    expected = applyConfChange(current, change, entry.index);
  } catch (e) {
    why = (e as Error).message;
  }
  if (expected && sameConfState(expected, stated)) return stated;
  if (adoptOnMismatch) return stated;
  throw new RaftInvariantError(
    `${owner}: the committed configuration change at index ${entry.index} ${expected ? 'states another result than it has here' : `does not apply here (${why})`}; the logs or the configurations diverged`,
  );
}

function isEmpty(cs: ConfState): boolean {
  return cs.voters.length === 0 && cs.votersOutgoing.length === 0 && cs.learners.length === 0;
}

export function initialConfState(owner: string, storage: Storage, hardState: HardState, snapshotConf: ConfState, voters: readonly NodeId[], applied: number): ConfState {
  let conf = snapshotConf;
  // Both describe the same sequence of changes; the one that went further wins.
  if (hardState.conf && (hardState.conf.index >= conf.index || isEmpty(conf))) conf = hardState.conf;
  if (isEmpty(conf) && conf.index === 0) conf = votersConfState(voters);
  checkConfState(conf);
  const from = Math.max(conf.index + 1, storage.firstIndex());
  const to = Math.min(applied, storage.lastIndex());
  if (from <= to) {
    for (const entry of storage.entries(from, to + 1, Infinity)) {
      if (entry.type === EntryType.ConfChange) conf = confAfterEntry(owner, conf, entry);
    }
  }
  return conf;
}
