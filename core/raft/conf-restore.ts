// The configuration a node starts with: the newest of what it persisted (the hard state's, the
// snapshot's), else the configured voters of a new cluster; then every configuration change in
// its log that the host had applied before the restart but whose result was not yet persisted.

import type { ConfState, HardState, NodeId } from './types.js';
import { EntryType } from './types.js';
import type { Storage } from './storage.js';
import { applyConfChange, checkConfState, emptyConfState } from './confchange.js';
import { decodeConfChange } from './conf-change-data.js';

function isEmpty(cs: ConfState): boolean {
  return cs.voters.length === 0 && cs.votersOutgoing.length === 0 && cs.learners.length === 0;
}

export function initialConfState(storage: Storage, hardState: HardState, snapshotConf: ConfState, voters: readonly NodeId[], applied: number): ConfState {
  let conf = snapshotConf;
  // Both describe the same sequence of changes; the one that went further wins.
  if (hardState.conf && (hardState.conf.index >= conf.index || isEmpty(conf))) conf = hardState.conf;
  if (isEmpty(conf)) conf = { ...emptyConfState(), voters: [...voters].sort() };
  checkConfState(conf);
  const from = Math.max(conf.index + 1, storage.firstIndex());
  const to = Math.min(applied, storage.lastIndex());
  if (from <= to) {
    for (const entry of storage.entries(from, to + 1, Infinity)) {
      if (entry.type === EntryType.ConfChange) conf = applyConfChange(conf, decodeConfChange(entry.data), entry.index);
    }
  }
  return conf;
}
