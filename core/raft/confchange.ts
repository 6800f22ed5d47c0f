// Configuration changes as pure set arithmetic on ConfState, after etcd's confchange package:
// enter a joint configuration, leave it, or make a simple change (one voter at most). Each function
// returns a new ConfState or throws ConfChangeError with a sentence saying why; the input is never
// modified. The tracker then reconciles its per-member progress with the result.

import type { ConfChange, ConfChangeSingle, ConfState, NodeId } from './types.js';
import { ConfChangeType } from './types.js';
import { entersJoint, isLeaveJoint } from './conf-change-data.js';

export class ConfChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfChangeError';
  }
}

interface Sets {
  incoming: Set<NodeId>;
  outgoing: Set<NodeId>;
  learners: Set<NodeId>;
  learnersNext: Set<NodeId>;
  autoLeave: boolean;
}

function sorted(set: ReadonlySet<NodeId>): NodeId[] {
  return [...set].sort();
}

function toSets(cs: ConfState): Sets {
  return {
    incoming: new Set(cs.voters),
    outgoing: new Set(cs.votersOutgoing),
    learners: new Set(cs.learners),
    learnersNext: new Set(cs.learnersNext),
    autoLeave: cs.autoLeave,
  };
}

function toConfState(s: Sets, index: number): ConfState {
  return {
    voters: sorted(s.incoming),
    votersOutgoing: sorted(s.outgoing),
    learners: sorted(s.learners),
    learnersNext: sorted(s.learnersNext),
    autoLeave: s.autoLeave,
    index,
  };
}

export function emptyConfState(): ConfState {
  return { voters: [], votersOutgoing: [], learners: [], learnersNext: [], autoLeave: false, index: 0 };
}

/** The configuration of a new cluster: these voters, nothing else. */
export function votersConfState(voters: readonly NodeId[]): ConfState {
  return { ...emptyConfState(), voters: [...voters].sort() };
}

export function isJoint(cs: ConfState): boolean {
  return cs.votersOutgoing.length > 0;
}

/** Every voter of either half, once. */
export function allVoters(cs: ConfState): NodeId[] {
  return sorted(new Set([...cs.voters, ...cs.votersOutgoing]));
}

/** Every member: voters of either half and learners (learnersNext are outgoing voters already). */
export function allMembers(cs: ConfState): NodeId[] {
  return sorted(new Set([...cs.voters, ...cs.votersOutgoing, ...cs.learners]));
}

export function sameConfState(a: ConfState, b: ConfState): boolean {
  const same = (x: readonly NodeId[], y: readonly NodeId[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.index === b.index &&
    a.autoLeave === b.autoLeave &&
    same(a.voters, b.voters) &&
    same(a.votersOutgoing, b.votersOutgoing) &&
    same(a.learners, b.learners) &&
    same(a.learnersNext, b.learnersNext)
  );
}

/** The rules every configuration obeys (etcd's checkInvariants). Throws ConfChangeError. */
export function checkConfState(cs: ConfState): void {
  const s = toSets(cs);
  if (s.incoming.size !== cs.voters.length || s.outgoing.size !== cs.votersOutgoing.length || s.learners.size !== cs.learners.length || s.learnersNext.size !== cs.learnersNext.length) {
    throw new ConfChangeError('a configuration lists a node twice in one set');
  }
  for (const id of s.learners) {
    if (s.incoming.has(id) || s.outgoing.has(id)) throw new ConfChangeError(`${id} is both a learner and a voter`);
  }
  for (const id of s.learnersNext) {
    if (!s.outgoing.has(id)) throw new ConfChangeError(`${id} is to become a learner but is not an outgoing voter`);
    if (s.learners.has(id)) throw new ConfChangeError(`${id} is to become a learner but already is one`);
  }
  if (s.outgoing.size === 0) {
    if (s.learnersNext.size > 0) throw new ConfChangeError('learners-next outside a joint configuration');
    if (s.autoLeave) throw new ConfChangeError('auto-leave outside a joint configuration');
  }
}

function makeVoter(s: Sets, id: NodeId): void {
  s.learners.delete(id);
  s.learnersNext.delete(id);
  s.incoming.add(id);
}

/** Adds a learner, or demotes a voter: a voter still in the outgoing half becomes a learner only
 *  when the joint configuration is left (learnersNext), so it keeps counting there until then. */
function makeLearner(s: Sets, id: NodeId): void {
  if (s.learners.has(id)) return;
  s.incoming.delete(id);
  s.learnersNext.delete(id);
  if (s.outgoing.has(id)) s.learnersNext.add(id);
  else s.learners.add(id);
}

function remove(s: Sets, id: NodeId): void {
  s.incoming.delete(id);
  s.learners.delete(id);
  s.learnersNext.delete(id);
}

function applyChanges(s: Sets, changes: readonly ConfChangeSingle[]): void {
  for (const change of changes) {
    if (change.node === '') throw new ConfChangeError('a configuration change names no node');
    switch (change.type) {
      case ConfChangeType.AddNode:
        makeVoter(s, change.node);
        break;
      case ConfChangeType.AddLearnerNode:
        makeLearner(s, change.node);
        break;
      case ConfChangeType.RemoveNode:
        remove(s, change.node);
        break;
    }
  }
  if (s.incoming.size === 0) throw new ConfChangeError('the change would remove every voter; a cluster needs at least one');
}

/** Enters the joint configuration (outgoing = the current voters, incoming = them with `changes`). */
export function enterJoint(cs: ConfState, autoLeave: boolean, changes: readonly ConfChangeSingle[], index: number): ConfState {
  checkConfState(cs);
  if (isJoint(cs)) throw new ConfChangeError('the configuration is already joint; leave it before the next change');
  if (cs.voters.length === 0) throw new ConfChangeError('there are no voters to change');
  const s = toSets(cs);
  s.outgoing = new Set(s.incoming);
  applyChanges(s, changes);
  s.autoLeave = autoLeave;
  const next = toConfState(s, index);
  checkConfState(next);
  return next;
}

/** Leaves the joint configuration: the outgoing half goes, learnersNext become learners. */
export function leaveJoint(cs: ConfState, index: number): ConfState {
  checkConfState(cs);
  if (!isJoint(cs)) throw new ConfChangeError('the configuration is not joint: there is nothing to leave');
  const s = toSets(cs);
  for (const id of s.learnersNext) s.learners.add(id);
  s.learnersNext.clear();
  s.outgoing.clear();
  s.autoLeave = false;
  const next = toConfState(s, index);
  checkConfState(next);
  return next;
}

/** A change of at most one voter, applied directly: any two majorities of the old and the new voter
 *  sets overlap, so no joint phase is needed. */
export function simpleChange(cs: ConfState, changes: readonly ConfChangeSingle[], index: number): ConfState {
  checkConfState(cs);
  if (isJoint(cs)) throw new ConfChangeError('the configuration is joint; leave it before a simple change');
  const s = toSets(cs);
  applyChanges(s, changes);
  let changed = 0;
  for (const id of s.incoming) if (!cs.voters.includes(id)) changed++;
  for (const id of cs.voters) if (!s.incoming.has(id)) changed++;
  if (changed > 1) throw new ConfChangeError('more than one voter changes: use a joint configuration change');
  const next = toConfState(s, index);
  checkConfState(next);
  return next;
}

/** The configuration after applying `cc` (at log index `index`) to `cs`. Throws ConfChangeError. */
export function applyConfChange(cs: ConfState, cc: ConfChange, index: number): ConfState {
  if (isLeaveJoint(cc)) return leaveJoint(cs, index);
  const { joint, autoLeave } = entersJoint(cc);
  return joint ? enterJoint(cs, autoLeave, cc.changes, index) : simpleChange(cs, cc.changes, index);
}
