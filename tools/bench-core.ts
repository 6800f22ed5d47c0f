// `npm run bench:core`: the Raft core alone — three RawNodes in one process over an in-memory
// network and MemoryStorage, hosts doing exactly what the Ready contract asks (persist, send,
// apply, advance). Prints committed entries per second for single proposals (each one committed
// before the next is made) and for batches of 64, and the ticks it takes to elect a first leader.

import { Command, InvalidArgumentError } from 'commander';
import type { Message, NodeId } from '../core/raft/types.js';
import { RawNode, defaultRaftConfig, seededRandom } from '../core/raft/raw-node.js';
import { MemoryStorage } from '../core/storage/memory-storage.js';
import { votersConfState } from '../core/raft/confchange.js';

const IDS: NodeId[] = ['n1', 'n2', 'n3'];
const PAYLOAD_BYTES = 64;
/** Hosts compact their log once this many entries are applied beyond the last snapshot. */
const COMPACT_EVERY = 16_384;

class BenchCluster {
  readonly nodes = new Map<NodeId, RawNode>();
  private readonly storages = new Map<NodeId, MemoryStorage>();
  private readonly applied = new Map<NodeId, number>();
  private queue: Message[] = [];

  constructor(seed: number) {
    IDS.forEach((id, i) => {
      const storage = new MemoryStorage();
      this.storages.set(id, storage);
      this.applied.set(id, 0);
      this.nodes.set(id, new RawNode(defaultRaftConfig(id, IDS, storage, seededRandom(seed * 31 + i))));
    });
  }

  appliedOn(id: NodeId): number {
    return this.applied.get(id)!;
  }

  leader(): RawNode | null {
    for (const node of this.nodes.values()) if (node.status().role === 'leader') return node;
    return null;
  }

  /** Runs every host until nothing is left to persist, send or apply. */
  pump(): void {
    for (;;) {
      let busy = false;
      for (const [id, node] of this.nodes) {
        if (!node.hasReady()) continue;
        busy = true;
        const rd = node.ready();
        const storage = this.storages.get(id)!;
        storage.saveSync(rd);
        for (const m of rd.messages) this.queue.push(m);
        if (rd.committedEntries.length > 0) {
          const last = rd.committedEntries[rd.committedEntries.length - 1]!.index;
          this.applied.set(id, last);
          if (last - storage.snapshot().metadata.index >= COMPACT_EVERY) {
            storage.compactTo({ metadata: { index: last, term: storage.term(last), confState: votersConfState(IDS) }, data: new Uint8Array(0) });
          }
        }
        node.advance(rd);
      }
      if (this.queue.length > 0) {
        busy = true;
        const batch = this.queue;
        this.queue = [];
        for (const m of batch) this.nodes.get(m.to)!.step(m);
      }
      if (!busy) return;
    }
  }

  tickAll(): void {
    for (const node of this.nodes.values()) node.tick();
    this.pump();
  }
}

function electedCluster(): { cluster: BenchCluster; leader: RawNode; leaderId: NodeId } {
  const cluster = new BenchCluster(1);
  cluster.nodes.get('n1')!.campaign();
  cluster.pump();
  return { cluster, leader: cluster.leader()!, leaderId: 'n1' };
}

function payloads(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => new Uint8Array(PAYLOAD_BYTES).fill(i & 0xff));
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Each proposal is committed (applied on the leader) before the next one is made. */
function benchSingle(entries: number): number {
  const { cluster, leader, leaderId } = electedCluster();
  const data = payloads(1)[0]!;
  const start = process.hrtime.bigint();
  for (let i = 0; i < entries; i++) {
    const { index } = leader.propose(data);
    cluster.pump();
    if (cluster.appliedOn(leaderId) < index) throw new Error('proposal did not commit');
  }
  return entries / seconds(start);
}

/** Batches of `size` entries, each batch committed before the next. */
function benchBatched(entries: number, size: number): number {
  const { cluster, leader, leaderId } = electedCluster();
  const batch = payloads(size);
  const rounds = Math.ceil(entries / size);
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    const { index } = leader.proposeBatch(batch);
    cluster.pump();
    if (cluster.appliedOn(leaderId) < index + size - 1) throw new Error('batch did not commit');
  }
  return (rounds * size) / seconds(start);
}

/** Ticks until a first leader exists, all nodes starting together, over many seeds. */
function ticksToElect(seeds: number): { mean: number; min: number; max: number } {
  const samples: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const cluster = new BenchCluster(seed);
    let ticks = 0;
    while (!cluster.leader()) {
      cluster.tickAll();
      ticks++;
    }
    samples.push(ticks);
  }
  return { mean: samples.reduce((a, b) => a + b, 0) / samples.length, min: Math.min(...samples), max: Math.max(...samples) };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const opts = new Command()
  .name('bench:core')
  .description('Throughput of the Raft core: 3 in-process nodes, in-memory network and storage.')
  .option('--entries <n>', 'entries per measurement', positiveInt, 200_000)
  .option('--json', 'print one JSON object')
  .parse()
  .opts<{ entries: number; json?: boolean }>();

// Warm the JIT so that the first measurement is not penalised.
benchSingle(20_000);
benchBatched(50_000, 64);

const result = {
  singleEntriesPerSec: Math.round(benchSingle(opts.entries)),
  batch64EntriesPerSec: Math.round(benchBatched(opts.entries * 5, 64)),
  ticksToElectFirstLeader: ticksToElect(200),
};

if (opts.json) {
  console.log(JSON.stringify(result));
} else {
  const t = result.ticksToElectFirstLeader;
  console.log(`single proposals:   ${result.singleEntriesPerSec.toLocaleString('en-US')} committed entries/s`);
  console.log(`batches of 64:      ${result.batch64EntriesPerSec.toLocaleString('en-US')} committed entries/s`);
  console.log(`first leader after: ${t.mean.toFixed(1)} ticks on average (min ${t.min}, max ${t.max}; election timeout 10 ticks, 200 seeds)`);
}
