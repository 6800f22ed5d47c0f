// One-line descriptions of Raft values for golden traces: short, stable and readable.

import type { Entry, Message, Ready, RaftStatus } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';

const TYPE_NAMES = new Map<number, string>(Object.entries(MessageType).map(([name, value]) => [value, name]));

export function describeEntry(e: Entry): string {
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
      return `${head} ctx=${m.context}`;
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
  if (rd.hardState) lines.push(`  hard: term=${rd.hardState.term} vote=${rd.hardState.vote || '-'} commit=${rd.hardState.commit}`);
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
    lines.push(`  ${p.id}: ${p.state} match=${p.match} next=${p.next}${p.inflight > 0 ? ` inflight=${p.inflight}` : ''}${p.recentActive ? '' : ' inactive'}`);
  }
  return lines;
}
