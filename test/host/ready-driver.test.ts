// The one Ready loop both hosts run: what leaves before the write, what waits for it, inputs stepped
// while a write is in flight, and loud failure.

import { describe, expect, it } from 'vitest';
import { ReadyDriver, type PersistWrite, type ReadyHost } from '../../core/host/ready-driver.js';
import { RawNode, defaultRaftConfig, seededRandom } from '../../core/raft/raw-node.js';
import type { Entry, Message, Ready } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';

/** A host that records every call in order and completes writes only when told to. */
class RecordingHost implements ReadyHost {
  readonly calls: string[] = [];
  readonly storage = new MemoryStorage();
  readonly pending: { write: PersistWrite; done: (error?: Error) => void }[] = [];
  readonly sent: Message[] = [];
  readonly applied: Entry[] = [];
  fatalError: Error | null = null;
  /** Complete writes inside persist() itself (a synchronous disk). */
  inline = false;

  persist(write: PersistWrite, _sync: boolean, done: (error?: Error) => void): void {
    this.calls.push(`persist ${write.entries.map((e) => e.index).join(',')}${write.hardState ? ` hs(t${write.hardState.term},v${write.hardState.vote || '-'})` : ''}`);
    if (this.inline) {
      this.storage.saveSync(write);
      done();
    } else {
      this.pending.push({ write, done });
    }
  }

  /** The oldest write in flight becomes durable. */
  complete(error?: Error): void {
    const next = this.pending.shift()!;
    if (!error) this.storage.saveSync(next.write);
    next.done(error);
  }

  send(messages: Message[]): void {
    for (const m of messages) {
      this.calls.push(`send ${typeName(m.type)}→${m.to}`);
      this.sent.push(m);
    }
  }

  installSnapshot(): void {
    this.calls.push('install snapshot');
  }

  apply(entries: Entry[]): void {
    this.calls.push(`apply ${entries.map((e) => e.index).join(',')}`);
    this.applied.push(...entries);
  }

  readyHandled(_ready: Ready): void {
    this.calls.push('handled');
  }

  fatal(error: Error): void {
    this.fatalError = error;
  }
}

function typeName(type: number): string {
  return Object.entries(MessageType).find(([, v]) => v === type)![0];
}

function node(id: string, voters: string[], host: RecordingHost, applied = 0): { raw: RawNode; driver: ReadyDriver } {
  const raw = new RawNode({ ...defaultRaftConfig(id, voters, host.storage, seededRandom(1)), preVote: false, applied });
  return { raw, driver: new ReadyDriver(raw, host) };
}

describe('ReadyDriver', () => {
  it('sends a candidate’s vote requests only after its vote is durable', () => {
    const host = new RecordingHost();
    const { driver } = node('n1', ['n1', 'n2', 'n3'], host);
    driver.input((raw) => raw.campaign());
    expect(host.calls).toEqual(['persist  hs(t1,vn1)']);
    expect(driver.idle).toBe(false);
    host.complete();
    expect(host.calls).toEqual(['persist  hs(t1,vn1)', 'send Vote→n2', 'send Vote→n3', 'handled']);
    expect(driver.idle).toBe(true);
  });

  it('sends a leader’s appends while it writes them, and its commit only after', () => {
    const host = new RecordingHost();
    host.inline = true;
    const { raw, driver } = node('n1', ['n1', 'n2', 'n3'], host);
    driver.input((r) => r.campaign());
    for (const from of ['n2', 'n3']) driver.step([{ type: MessageType.VoteResp, from, to: 'n1', term: 1, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    expect(raw.status().role).toBe('leader');
    // Both acknowledge the leader's first entry, so their progress is replicating.
    for (const from of ['n2', 'n3']) driver.step([{ type: MessageType.AppResp, from, to: 'n1', term: 1, logTerm: 0, index: 1, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    host.inline = false;
    host.calls.length = 0;
    driver.input((r) => r.propose(new TextEncoder().encode('x')));
    // The App leaves before the write starts; nothing else happens until the write completes. The
    // commit index 1, known since the last write and not yet written (nothing to fsync), rides along.
    expect(host.calls).toEqual(['send App→n2', 'send App→n3', 'persist 2 hs(t1,vn1)']);
    // An acknowledgement arrives while the leader's own write is still in flight: it is stepped,
    // but the commit it allows waits for the loop.
    driver.step([{ type: MessageType.AppResp, from: 'n2', to: 'n1', term: 1, logTerm: 0, index: 2, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    expect(host.calls).toEqual(['send App→n2', 'send App→n3', 'persist 2 hs(t1,vn1)']);
    host.complete();
    // Only now do Apps carrying commit index 2 leave. Entry 2 is durable here and committed, so it
    // is applied at once: not after the write of the commit index itself, which it does not need.
    const commitApps = host.sent.filter((m) => m.type === MessageType.App && m.commit === 2);
    expect(commitApps.map((m) => m.to)).toEqual(['n2', 'n3']);
    expect(host.calls.indexOf('handled', 3)).toBeLessThan(host.calls.indexOf('send App→n2', 3));
    expect(host.applied.map((e) => e.index)).toEqual([1, 2]);
    // Commit index 2 costs no write of its own: it waits for the next write, or a tick.
    expect(host.pending).toEqual([]);
    expect(driver.idle).toBe(true);
    driver.tick();
    expect(host.pending.map((p) => [p.write.entries.length, p.write.hardState?.commit])).toEqual([[0, 2]]);
    host.complete();
    expect(driver.idle).toBe(true);
  });

  it('pipelines: a leader’s next appends leave while its previous write is in flight, and what queued meanwhile is written as one', () => {
    const host = new RecordingHost();
    host.inline = true;
    const { raw, driver } = node('n1', ['n1', 'n2', 'n3'], host);
    driver.input((r) => r.campaign());
    for (const from of ['n2', 'n3']) driver.step([{ type: MessageType.VoteResp, from, to: 'n1', term: 1, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    for (const from of ['n2', 'n3']) driver.step([{ type: MessageType.AppResp, from, to: 'n1', term: 1, logTerm: 0, index: 1, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    expect(raw.status().role).toBe('leader');
    host.inline = false;
    host.calls.length = 0;
    const data = new TextEncoder().encode('x');
    driver.input((r) => r.propose(data));
    driver.input((r) => r.propose(data));
    driver.input((r) => r.propose(data));
    // Every App left at once; one write is with the host, the two Readies after it wait for it.
    expect(host.calls.filter((c) => c.startsWith('send App'))).toHaveLength(6);
    expect(host.calls.filter((c) => c.startsWith('persist'))).toEqual(['persist 2 hs(t1,vn1)']);
    // One follower acknowledges everything: with the leader's copy not yet durable, that is no quorum.
    driver.step([{ type: MessageType.AppResp, from: 'n2', to: 'n1', term: 1, logTerm: 0, index: 4, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    expect(raw.status().commit).toBe(1);
    host.complete();
    // Entry 2 committed and applied; entries 3 and 4 go to disk together, in one write.
    expect(host.applied.map((e) => e.index)).toEqual([1, 2]);
    expect(host.pending.map((p) => p.write.entries.map((e) => e.index))).toEqual([[3, 4]]);
    host.complete();
    expect(host.applied.map((e) => e.index)).toEqual([1, 2, 3, 4]);
    while (host.pending.length > 0) host.complete();
    expect(driver.idle).toBe(true);
  });

  it('pipelines a follower’s acknowledgements behind every earlier write, and applies entries only once written', () => {
    const host = new RecordingHost();
    const { driver } = node('n2', ['n1', 'n2', 'n3'], host);
    const entry = (index: number): Entry => ({ index, term: 1, type: 0, data: new Uint8Array([index]) }) as Entry;
    const app = (index: number, entries: Entry[], commit: number) => ({ type: MessageType.App, from: 'n1', to: 'n2', term: 1, logTerm: index === 0 ? 0 : 1, index, entries, commit, reject: false, rejectHint: 0, snapshot: null, context: 0 }) as Message;
    driver.step([app(0, [entry(1), entry(2)], 0)]);
    expect(host.pending.map((p) => p.write.entries.map((e) => e.index))).toEqual([[1, 2]]);
    // A heartbeat-like App while 1–2 are written: it commits 2, and its answer vouches for index 2.
    driver.step([app(2, [], 2)]);
    expect(host.sent).toEqual([]);
    expect(host.applied).toEqual([]);
    host.complete();
    // Both acknowledgements leave, in order, and the entries, now durable and committed, are
    // applied: the commit index alone is not worth a write before them (it goes with the next).
    expect(host.sent.map((m) => [m.type, m.index])).toEqual([[MessageType.AppResp, 2], [MessageType.AppResp, 2]]);
    expect(host.applied.map((e) => e.index)).toEqual([1, 2]);
    expect(host.pending).toEqual([]);
    // The next append carries it to disk, in the same write as its entry.
    driver.step([app(2, [entry(3)], 2)]);
    expect(host.pending.map((p) => [p.write.entries.map((e) => e.index), p.write.hardState?.commit])).toEqual([[[3], 2]]);
    host.complete();
    expect(host.sent.map((m) => [m.type, m.index]).slice(-1)).toEqual([[MessageType.AppResp, 3]]);
    while (host.pending.length > 0) host.complete();
    expect(driver.idle).toBe(true);
  });

  it('holds a leader’s appends until the vote that made it leader is durable (a quorum by itself)', () => {
    const host = new RecordingHost();
    // One voter and a learner: the voter wins in the Ready that records its vote.
    const confState = { voters: ['n1'], votersOutgoing: [], learners: ['n2'], learnersNext: [], autoLeave: false, index: 1 };
    host.storage.saveSync({ hardState: { term: 1, vote: 'n1', commit: 1 }, entries: [], snapshot: { metadata: { index: 1, term: 1, confState }, data: new Uint8Array(0) } });
    const { raw, driver } = node('n1', ['n1'], host, 1);
    // A client's write reaches it in the same breath: one Ready holds the vote and an append.
    driver.input((r) => {
      r.campaign();
      r.propose(new TextEncoder().encode('w'));
    });
    expect(raw.status().role).toBe('leader');
    // A crash now must leave no append of term 2 behind: the restarted node, back in term 1, could
    // win term 2 again and write other entries under the same index and term.
    expect(host.calls).toEqual(['persist 2,3 hs(t2,vn1)']);
    host.complete();
    expect(host.sent.filter((m) => m.type === MessageType.App).map((m) => `${m.to}@t${m.term}`)).toEqual(['n2@t2']);
    // Once the vote is durable the leader's appends leave early again.
    while (host.pending.length > 0) host.complete();
    host.inline = true;
    driver.step([{ type: MessageType.AppResp, from: 'n2', to: 'n1', term: 2, logTerm: 0, index: 3, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    host.inline = false;
    host.calls.length = 0;
    driver.input((r) => r.propose(new TextEncoder().encode('x')));
    expect(host.calls[0]).toBe('send App→n2');
  });

  it('picks up inputs that arrived during a write once it completes', () => {
    const host = new RecordingHost();
    const { raw, driver } = node('n1', ['n1', 'n2', 'n3'], host);
    driver.input((r) => r.campaign());
    // A vote request of a higher term arrives while the candidate's vote is being written.
    driver.step([{ type: MessageType.Vote, from: 'n2', to: 'n1', term: 5, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    expect(raw.status().term).toBe(5);
    expect(host.pending).toHaveLength(1);
    host.complete();
    // The next Ready (the new term and vote) is written before the grant goes out.
    expect(host.pending).toHaveLength(1);
    expect(host.sent.filter((m) => m.type === MessageType.VoteResp)).toEqual([]);
    host.complete();
    expect(host.sent.filter((m) => m.type === MessageType.VoteResp && !m.reject).map((m) => m.to)).toEqual(['n2']);
  });

  it('stops loudly, naming node, index and term, when the core finds its log lost', () => {
    const host = new RecordingHost();
    const { driver } = node('n2', ['n1', 'n2', 'n3'], host);
    // A leader of term 3 says we hold index 40 committed; our log is empty.
    driver.step([{ type: MessageType.Heartbeat, from: 'n1', to: 'n2', term: 3, logTerm: 0, index: 0, entries: [], commit: 40, reject: false, rejectHint: 0, snapshot: null, context: 0 } as Message]);
    expect(host.fatalError?.message).toBe('n2 in term 3: asked to commit index 40 but the log ends at 0; was the log truncated or lost?');
    expect(driver.isStopped).toBe(true);
    // Nothing more happens once stopped.
    driver.tick();
    expect(host.calls).toEqual([]);
  });

  it('stops loudly when a write fails, and sends nothing that depended on it', () => {
    const host = new RecordingHost();
    const { driver } = node('n1', ['n1', 'n2', 'n3'], host);
    driver.input((r) => r.campaign());
    host.complete(new Error('ENOSPC: no space left on device'));
    expect(host.fatalError?.message).toBe('ENOSPC: no space left on device');
    expect(host.sent).toEqual([]);
  });

  it('with the test-only host bug, sends votes before persisting them', () => {
    const host = new RecordingHost();
    const raw = new RawNode({ ...defaultRaftConfig('n1', ['n1', 'n2'], host.storage, seededRandom(1)), preVote: false });
    const driver = new ReadyDriver(raw, host, { sendEverythingBeforePersisting: true });
    driver.input((r) => r.campaign());
    expect(host.calls).toEqual(['send Vote→n2', 'persist  hs(t1,vn1)']);
  });
});
