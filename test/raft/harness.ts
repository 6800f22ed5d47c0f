// A deterministic in-memory cluster for unit tests: RawNodes over MemoryStorage, a FIFO network
// the test controls (deliver, drop, cut links), and hosts that follow the Ready contract.

import type { Entry, Message, NodeId, ReadState, Ready } from '../../core/raft/types.js';
import { EntryType } from '../../core/raft/types.js';
import type { RaftConfig } from '../../core/raft/config.js';
import { RawNode, defaultRaftConfig, seededRandom } from '../../core/raft/raw-node.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

export function entry(index: number, term: number, data = ''): Entry {
  return { index, term, type: 0, data: bytes(data) };
}

export type ConfigOverrides = Partial<Omit<RaftConfig, 'id' | 'voters' | 'storage' | 'random'>>;

export class Harness {
  readonly nodes = new Map<NodeId, RawNode>();
  readonly storages = new Map<NodeId, MemoryStorage>();
  /** Per node: entries applied by its host, in order (a snapshot restore resets to its index). */
  readonly applied = new Map<NodeId, Entry[]>();
  readonly appliedIndex = new Map<NodeId, number>();
  /** Per node: the confirmed reads its Readies handed out, in order (kept across restarts). */
  readonly readStates = new Map<NodeId, ReadState[]>();
  /** Messages sent and not yet delivered, in send order. */
  queue: Message[] = [];
  private readonly cut = new Set<string>();
  private readonly seeds = new Map<NodeId, number>();
  /** The voters of the new cluster; nodes added later join with no configuration. */
  private readonly initialVoters: NodeId[];
  private readonly joiners = new Set<NodeId>();

  constructor(
    readonly ids: NodeId[],
    private readonly overrides: ConfigOverrides = {},
  ) {
    this.initialVoters = [...ids];
    ids.forEach((id, i) => {
      this.storages.set(id, new MemoryStorage());
      this.seeds.set(id, i + 1);
      this.start(id);
    });
  }

  config(id: NodeId): RaftConfig {
    const storage = this.storages.get(id)!;
    const voters = this.joiners.has(id) ? [] : this.initialVoters;
    return { ...defaultRaftConfig(id, voters, storage, seededRandom(this.seeds.get(id)!)), ...this.overrides };
  }

  /** Starts a new node that joins the running cluster: empty log, no configuration (it learns
   *  one from the leader once a configuration change adds it). */
  addNode(id: NodeId): RawNode {
    if (this.storages.has(id)) throw new Error(`${id} already exists`);
    this.ids.push(id);
    this.joiners.add(id);
    this.storages.set(id, new MemoryStorage());
    this.seeds.set(id, this.ids.length);
    return this.start(id);
  }

  /** Starts (or restarts after crash()) a node on its persisted storage. */
  start(id: NodeId): RawNode {
    const storage = this.storages.get(id)!;
    const snapshotIndex = storage.snapshot().metadata.index;
    const node = new RawNode({ ...this.config(id), applied: snapshotIndex });
    this.nodes.set(id, node);
    this.applied.set(id, []);
    this.appliedIndex.set(id, snapshotIndex);
    return node;
  }

  /** Loses everything not persisted: the node object and its undelivered output. */
  crash(id: NodeId): void {
    this.nodes.delete(id);
  }

  node(id: NodeId): RawNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`${id} is not running`);
    return node;
  }

  tick(id: NodeId, times = 1): void {
    for (let i = 0; i < times; i++) this.node(id).tick();
  }

  /** The host's duties for one Ready: persist, send (queue), apply, advance. */
  processReady(id: NodeId): Ready | null {
    const node = this.node(id);
    if (!node.hasReady()) return null;
    const rd = node.ready();
    this.storages.get(id)!.saveSync(rd);
    this.queue.push(...rd.messages);
    if (rd.readStates.length > 0) this.readStates.set(id, [...(this.readStates.get(id) ?? []), ...rd.readStates]);
    if (rd.snapshot) {
      this.applied.set(id, []);
      this.appliedIndex.set(id, rd.snapshot.metadata.index);
    }
    for (const e of rd.committedEntries) {
      this.applied.get(id)!.push(e);
      this.appliedIndex.set(id, e.index);
    }
    node.advance(rd);
    return rd;
  }

  cutLink(from: NodeId, to: NodeId): void {
    this.cut.add(`${from}>${to}`);
  }

  isolate(id: NodeId): void {
    for (const other of this.ids) {
      if (other === id) continue;
      this.cutLink(id, other);
      this.cutLink(other, id);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  isCut(m: Message): boolean {
    return this.cut.has(`${m.from}>${m.to}`) || !this.nodes.has(m.to);
  }

  /** Delivers every queued message whose destination passes `filter` (others stay queued);
   *  messages on cut links or to crashed nodes are dropped. Returns what was handled. */
  deliver(filter: (m: Message) => boolean = () => true): { delivered: Message[]; dropped: Message[] } {
    const delivered: Message[] = [];
    const dropped: Message[] = [];
    const keep: Message[] = [];
    for (const m of this.queue) {
      if (!filter(m)) keep.push(m);
      else if (this.isCut(m)) dropped.push(m);
      else delivered.push(m);
    }
    this.queue = keep;
    for (const m of delivered) this.nodes.get(m.to)!.step(m);
    return { delivered, dropped };
  }

  /** Processes Readies and delivers messages until the cluster is quiet; returns every message sent meanwhile. */
  stabilize(): Message[] {
    const sent: Message[] = [];
    for (let round = 0; round < 10_000; round++) {
      let busy = false;
      for (const id of this.ids) {
        const rd = this.nodes.has(id) ? this.processReady(id) : null;
        if (rd) {
          busy = true;
          sent.push(...rd.messages);
        }
      }
      if (this.queue.length > 0) {
        busy = true;
        this.deliver();
      }
      if (!busy) return sent;
    }
    throw new Error('cluster did not stabilize');
  }

  /** Makes `id` campaign and runs the election to the end. */
  elect(id: NodeId): void {
    this.node(id).campaign();
    this.stabilize();
  }

  leaders(): NodeId[] {
    return [...this.nodes.entries()].filter(([, n]) => n.status().role === 'leader').map(([id]) => id);
  }

  /** Ticks every running node once, then stabilizes; repeated `times`. */
  tickAll(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const id of this.ids) if (this.nodes.has(id)) this.node(id).tick();
      this.stabilize();
    }
  }

  appliedData(id: NodeId): string[] {
    return this.applied.get(id)!.filter((e) => e.type === EntryType.Normal && e.data.length > 0).map((e) => text(e.data));
  }

  /** The node's whole log as persisted (index/term), for comparing logs. */
  persistedLog(id: NodeId): string[] {
    const s = this.storages.get(id)!;
    const out: string[] = [];
    for (let i = s.firstIndex(); i <= s.lastIndex(); i++) out.push(`${i}/${s.term(i)}`);
    return out;
  }
}
