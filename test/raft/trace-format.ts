// One-line descriptions of Raft values for golden traces: short, stable and readable.

import type { ConfChange, ConfState, Entry, Message, Ready, RaftStatus } from '../../core/raft/types.js';
import { ConfChangeTransition, ConfChangeType, EntryType, MessageType } from '../../core/raft/types.js';
import { decodeConfChange } from '../../core/raft/conf-change-data.js';

const TYPE_NAMES = new Map<number, string>(Object.entries(MessageType).map(([name, value]) => [value, name]));

const CHANGE_MARKS = new Map<number, string>([
  [ConfChangeType.AddNode, '+'],
  [ConfChangeType.AddLearnerNode, '~'],
  [ConfChangeType.RemoveNode, '-'],
]);
const TRANSITION_NAMES = new Map<number, string>(Object.entries(ConfChangeTransition).map(([name, value]) => [value, name.toLowerCase()]));

/** "+n4 ~n5 -n3 (auto)": + adds a voter, ~ a learner, - removes; "leave-joint" for the empty change. */
export function describeConfChange(cc: ConfChange): string {
  if (cc.changes.length === 0) return cc.transition === ConfChangeTransition.Auto ? 'leave-joint' : `(${TRANSITION_NAMES.get(cc.transition)})`;
  return `${cc.changes.map((c) => `${CHANGE_MARKS.get(c.type)}${c.node}`).join(' ')} (${TRANSITION_NAMES.get(cc.transition)})`;
}

/** "voters=(n1 n2 n3)&&(n1 n2) learners=(n4) next=(n3) autoleave @7". */
export function describeConfState(cs: ConfState): string {
  const list = (ids: readonly string[]): string => `(${ids.join(' ')})`;
  let out = `voters=${list(cs.voters)}`;
  if (cs.votersOutgoing.length > 0) out += `&&${list(cs.votersOutgoing)}`;
  if (cs.learners.length > 0) out += ` learners=${list(cs.learners)}`;
  if (cs.learnersNext.length > 0) out += ` next=${list(cs.learnersNext)}`;
  if (cs.autoLeave) out += ' autoleave';
  return `${out} @${cs.index}`;
}

export function describeEntry(e: Entry): string {
  if (e.type === EntryType.ConfChange) return `${e.index}/${e.term}:conf[${describeConfChange(decodeConfChange(e.data).change)}]`;
  return e.data.length === 0 ? `${e.index}/${e.term}` : `${e.index}/${e.term}:${new TextDecoder().decode(e.data)}`;
}

export function describeEntries(entries: readonly Entry[]): string {
  return entries.map(describeEntry).join(' ');
}

export function describeMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${TYPE_NAMES.get(m.type) ?? m.type} term=${m.term}`;
  switch (m.type) {
    case MessageType.App:
      return `${head} prev=${m.index}/${m.logTerm} commit=${m.commit} entries=[${describeEntries(m.entries)}]`;
    case MessageType.AppResp:
      return m.reject ? `${head} reject index=${m.index} hint=${m.rejectHint}/${m.logTerm}` : `${head} index=${m.index}`;
    case MessageType.Vote:
    case MessageType.PreVote:
      return `${head} last=${m.index}/${m.logTerm}${m.rejectHint === 1 ? ' transfer' : ''}`;
    case MessageType.VoteResp:
    case MessageType.PreVoteResp:
      return `${head} ${m.reject ? 'rejected' : 'granted'}`;
    case MessageType.Heartbeat:
      return `${head} commit=${m.commit}${m.context > 0 ? ` round=${m.context}` : ''}`;
    case MessageType.HeartbeatResp:
      return m.context > 0 ? `${head} round=${m.context}` : head;
    case MessageType.ReadIndex:
      return `${head} ctx=${m.context}${m.rejectHint === 1 ? ' lease' : ''}`;
    case MessageType.ReadIndexResp:
      return `${head} index=${m.index} ctx=${m.context}`;
    case MessageType.Snap:
      return `${head} snapshot=${m.snapshot?.metadata.index}/${m.snapshot?.metadata.term}`;
    default:
      return head;
  }
}

export function describeReady(id: string, rd: Ready): string[] {
  const lines = [`${id} ready${rd.mustSync ? ' (must sync)' : ''}:`];
  if (rd.softState) lines.push(`  soft: role=${rd.softState.role} leader=${rd.softState.leader || '-'}`);
  if (rd.hardState) {
    // The configuration is shown once it was changed (the initial one would repeat on every line).
    const conf = rd.hardState.conf && rd.hardState.conf.index > 0 ? ` conf=${describeConfState(rd.hardState.conf)}` : '';
    lines.push(`  hard: term=${rd.hardState.term} vote=${rd.hardState.vote || '-'} commit=${rd.hardState.commit}${conf}`);
  }
  if (rd.snapshot) lines.push(`  snapshot: ${rd.snapshot.metadata.index}/${rd.snapshot.metadata.term} data=${new TextDecoder().decode(rd.snapshot.data)}`);
  if (rd.entries.length > 0) lines.push(`  persist: ${describeEntries(rd.entries)}`);
  for (const m of rd.messages) lines.push(`  send: ${describeMessage(m)}`);
  if (rd.committedEntries.length > 0) lines.push(`  apply: ${describeEntries(rd.committedEntries)}`);
  for (const rs of rd.readStates) lines.push(`  read: index=${rs.index} ctx=${rs.context}`);
  return lines;
}

export function describeStatus(st: RaftStatus): string[] {
  const lines = [
    `${st.id}: ${st.role} term=${st.term} vote=${st.vote || '-'} leader=${st.leader || '-'} commit=${st.commit} applied=${st.applied} log=[${st.firstIndex},${st.lastIndex}] snapshot=${st.snapshotIndex}`,
  ];
  for (const p of st.progress ?? []) {
    lines.push(`  ${p.id}: ${p.state} match=${p.match} next=${p.next}${p.inflight > 0 ? ` inflight=${p.inflight}` : ''}${p.recentActive ? '' : ' inactive'}${p.learner ? ' learner' : ''}`);
  }
  return lines;
}
