// What the supervisor's events say about a run: who became leader of which term (election safety,
// as the nodes report it: no two nodes may lead in the same term) and which node crashed on its own
// (not killed by the nemesis, not stopped by a membership change). The supervisor keeps a bounded
// list of recent events, so the watch polls it through the run and keeps every event of those kinds
// it has not seen yet (events carry a per-supervisor sequence number).

import type { ClusterEvent } from '../api/cluster-state.js';
import type { ClusterControl } from './cluster-control.js';

export interface Election {
  term: number;
  node: string;
  /** Epoch ms the node reported it. */
  at: number;
}

export interface Crash {
  node: string;
  /** The supervisor's sentence, e.g. "n3 crashed (SIGHUP)". */
  message: string;
  /** Epoch ms. */
  at: number;
}

export interface Verdict {
  ok: boolean;
  /** One sentence. */
  detail: string;
}

/** Events asked for per poll: far more than a cluster emits between two polls. */
const EVENTS_PER_POLL = 1000;

export class EventWatch {
  readonly elections: Election[] = [];
  readonly crashes: Crash[] = [];
  /** Events up to this sequence number are already seen (or predate the experiment). */
  private seenUpTo: number | null = null;
  private polling: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly cluster: ClusterControl) {}

  /** Marks where the experiment starts, then polls every `intervalMs` until stop(). */
  async start(intervalMs: number): Promise<void> {
    await this.poll();
    // A failed poll loses nothing: the next one asks for the same recent events again.
    this.timer = setInterval(() => void this.poll().catch(() => undefined), intervalMs);
  }

  /** Stops polling after one last poll. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.poll();
  }

  /** One poll at a time: a second caller waits for the one in flight, then polls again. */
  async poll(): Promise<void> {
    while (this.polling) await this.polling;
    this.polling = this.pollOnce();
    try {
      await this.polling;
    } finally {
      this.polling = null;
    }
  }

  private async pollOnce(): Promise<void> {
    const events = await this.cluster.recentEvents(EVENTS_PER_POLL);
    const newest = events.reduce((max, e) => Math.max(max, e.seq), 0);
    if (this.seenUpTo === null) {
      // The first poll only marks where the experiment starts.
      this.seenUpTo = newest;
      return;
    }
    for (const e of events) if (e.seq > this.seenUpTo) this.observe(e);
    this.seenUpTo = Math.max(this.seenUpTo, newest);
  }

  private observe(e: ClusterEvent): void {
    if (e.kind === 'leader-elected' && e.node !== null && e.term !== null) this.elections.push({ term: e.term, node: e.node, at: e.at });
    if (e.kind === 'node-exited' && e.node !== null && e.details.state === 'crashed') this.crashes.push({ node: e.node, message: e.message, at: e.at });
  }
}

export function checkOneLeaderPerTerm(elections: readonly Election[]): Verdict {
  const byTerm = new Map<number, Election[]>();
  for (const e of elections) byTerm.set(e.term, [...(byTerm.get(e.term) ?? []), e]);
  for (const [term, won] of [...byTerm].sort(([a], [b]) => a - b)) {
    const nodes = [...new Set(won.map((e) => e.node))];
    if (nodes.length > 1) {
      const when = (node: string) => new Date(won.find((e) => e.node === node)!.at).toISOString().slice(11, 23);
      return { ok: false, detail: `Two leaders in term ${term}: ${nodes.map((n) => `${n} (at ${when(n)})`).join(' and ')}.` };
    }
  }
  const terms = byTerm.size;
  return { ok: true, detail: terms === 0 ? 'No election was reported during the run.' : `${terms} elections during the run, each term with one leader.` };
}

/** A node that crashed during a run is a finding, whatever the other checks say: its log says why. */
export function checkNoCrash(crashes: readonly Crash[], originEpoch: number): Verdict {
  if (crashes.length === 0) return { ok: true, detail: 'No node crashed on its own during the run.' };
  const each = crashes.map((c) => `${c.message} ${((c.at - originEpoch) / 1000).toFixed(1)} s into the run`);
  const logs = [...new Set(crashes.map((c) => `nodes/${c.node}/node.log`))];
  return { ok: false, detail: `${each.join('; ')}; see ${logs.join(', ')} in the workspace.` };
}
