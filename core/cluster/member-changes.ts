// Changing the members of a running cluster, from the supervisor's side: it owns the processes,
// the certificates and cluster.json; the Raft side (the configuration change itself) is the
// leader's, asked through the client API. Each change is done in the order that loses nothing:
//
// add:     plan ports → certificate → cluster.json lists the node (joined, learner) → every node
//          learns its address → start its process (empty: it waits for the leader) → the leader adds
//          it as a learner → it catches up (by snapshot if the log was compacted) → promote.
// remove:  refuse if the remaining voters could not commit → the leader removes it → every running
//          voter left applies the removal (removal-handover.ts) → stop its process → set its data
//          folder aside → cluster.json and every node forget it.
//
// cluster.json follows the committed configuration: a node is written as a learner until its
// promotion is applied, and removed only once its removal is.

import { promises as fs } from 'node:fs';
import type { ClusterDefinition, NodeDefinition } from '../api/cluster-definition.js';
import type { ClusterState } from '../api/cluster-state.js';
import type { AddMemberRequest, CatchUpProgress, MemberChangeResult, MemberInfo, MembershipAction } from '../api/membership.js';
import { ClientError, type KvClient } from '../client/cluster-client.js';
import type { EventLog } from './event-log.js';
import { planNewMember } from './new-member.js';
import { removalHandover } from './removal-handover.js';
import type { workspacePaths } from '../workspace/paths.js';
import { UserError } from '../workspace/user-error.js';

/** A learner counts as caught up once it is within this many entries of the leader's commit index. */
const CAUGHT_UP_SLACK = 16;
const CATCH_UP_POLL_MS = 100;
/** How long a removal waits for the voters left to apply it before it gives up (the process keeps running). */
const HANDOVER_TIMEOUT_MS = 30_000;

/** What the supervisor lends to membership changes. */
export interface MembershipHost {
  readonly paths: ReturnType<typeof workspacePaths>;
  readonly events: EventLog;
  definition(): ClusterDefinition;
  /** Writes cluster.json (atomically) and makes it the supervisor's definition. */
  commitDefinition(next: ClusterDefinition): Promise<void>;
  /** Issues certificates for every node of the definition that lacks one. */
  ensureCertificates(definition: ClusterDefinition): Promise<void>;
  /** Registers a (stopped) process for a node about to be added. */
  registerNode(id: string): void;
  /** Starts a registered node's process; resolves once it is ready. */
  startNode(id: string): Promise<void>;
  /** Stops a node's process (if running) and forgets it; cluster.json must no longer list it. */
  forgetNode(id: string): Promise<void>;
  /** Tells every running node the members' addresses. */
  pushMembers(): void;
  state(): ClusterState;
  /** Runs `fn` with a client of the current members; closes it afterwards. */
  withClient<T>(fn: (kv: KvClient) => Promise<T>): Promise<T>;
}

function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}

export class MemberChanges {
  /** One change at a time: Raft refuses a second pending configuration change anyway. */
  private busy: string | null = null;
  /** Removals that committed but whose process still runs because the handover timed out. */
  private readonly removedAwaitingHandover = new Map<string, MemberChangeResult>();

  constructor(
    private readonly host: MembershipHost,
    private readonly handoverTimeoutMs = HANDOVER_TIMEOUT_MS,
  ) {}

  /** A client of the current members, for calls that are not membership changes (a transfer). */
  withClient<T>(fn: (kv: KvClient) => Promise<T>): Promise<T> {
    return this.host.withClient(fn);
  }

  /** The members as the leader sees them, with each process's state. */
  async list(): Promise<MemberInfo[]> {
    const host = this.host;
    const view = await host.withClient((kv) => kv.members());
    const definition = host.definition();
    const states = new Map(host.state().nodes.map((n) => [n.id, n.state as string]));
    return view.members.map((m) => {
      const node = definition.nodes.find((n) => n.id === m.id);
      return { id: m.id, address: node ? `${node.host}:${node.clientPort}` : 'unknown', voter: m.voter, match: m.match, state: states.get(m.id) ?? 'not in cluster.json' };
    });
  }

  async add(request: AddMemberRequest, onProgress: (p: CatchUpProgress) => void = () => undefined): Promise<MemberChangeResult> {
    return this.exclusive(`adding ${request.id}`, async () => {
      const host = this.host;
      const node = await planNewMember(host.definition(), request);
      const next: ClusterDefinition = { ...host.definition(), nodes: [...host.definition().nodes, node] };
      await host.ensureCertificates(next);
      host.registerNode(node.id);
      await host.commitDefinition(next);
      host.pushMembers();
      host.events.add('member', node.id, `Adding ${node.id} at ${node.host} (peer port ${node.peerPort}, client port ${node.clientPort})`, { peerPort: node.peerPort, clientPort: node.clientPort });
      let added: MemberChangeResult;
      try {
        await host.startNode(node.id);
        added = await this.ask('add-learner', node.id);
      } catch (e) {
        if (e instanceof ClientError && e.indeterminate) {
          throw new UserError(`The leader did not confirm adding ${node.id} (${e.message}); it may have been added — see raftdesk member list, then promote or remove it.`);
        }
        // Nothing was committed: take the node out again, leaving things as they were.
        await this.undoAdd(node.id);
        throw e;
      }
      host.events.add('member', node.id, `${node.id} joined as a learner (configuration change at index ${added.index})`, { index: added.index, term: added.term });
      if (request.learner) return added;
      await this.waitCaughtUp(node.id, onProgress);
      return this.promoteNow(node.id);
    });
  }

  async promote(id: string): Promise<MemberChangeResult> {
    return this.exclusive(`promoting ${id}`, () => this.promoteNow(id));
  }

  async remove(id: string): Promise<MemberChangeResult> {
    return this.exclusive(`removing ${id}`, async () => {
      const host = this.host;
      const definition = host.definition();
      const node = definition.nodes.find((n) => n.id === id);
      if (!node) throw new UserError(`There is no node "${id}"; the nodes are ${definition.nodes.map((n) => n.id).join(', ')}.`);
      // A removal whose handover timed out is finished by asking again: the change committed already.
      let removed = this.removedAwaitingHandover.get(id);
      if (!removed) {
        if (!node.learner) this.checkQuorumWithout(id);
        removed = await this.ask('remove', id);
        this.removedAwaitingHandover.set(id, removed);
        host.events.add('member', id, `${id} was removed from the configuration (index ${removed.index})`, { index: removed.index, term: removed.term });
      }
      await this.waitForHandover(id, removed.index);
      this.removedAwaitingHandover.delete(id);
      await host.commitDefinition({ ...host.definition(), nodes: host.definition().nodes.filter((n) => n.id !== id) });
      host.pushMembers();
      await host.forgetNode(id);
      const aside = await this.setDataAside(id);
      if (aside) host.events.add('member', id, `${id}'s data folder was kept as ${aside}`, {});
      return removed;
    });
  }

  private async promoteNow(id: string): Promise<MemberChangeResult> {
    const host = this.host;
    const node = host.definition().nodes.find((n) => n.id === id);
    if (!node) throw new UserError(`There is no node "${id}"; the nodes are ${host.definition().nodes.map((n) => n.id).join(', ')}.`);
    const promoted = await this.ask('promote', id);
    await host.commitDefinition({ ...host.definition(), nodes: host.definition().nodes.map((n) => (n.id === id ? withoutLearnerFlag(n) : n)) });
    host.events.add('member', id, `${id} is now a voter (configuration change at index ${promoted.index})`, { index: promoted.index, term: promoted.term });
    return promoted;
  }

  /** Refuses to remove a voter when the voters left could not commit: fewer of them run than a
   *  majority of the new configuration (or none would be left). */
  private checkQuorumWithout(id: string): void {
    const definition = this.host.definition();
    const remaining = definition.nodes.filter((n) => !n.learner && n.id !== id);
    if (remaining.length === 0) throw new UserError(`${id} is the last voter; a cluster needs at least one. Add another node first.`);
    const states = new Map(this.host.state().nodes.map((n) => [n.id, n.state]));
    const running = remaining.filter((n) => states.get(n.id) === 'running');
    const needed = majority(remaining.length);
    if (running.length < needed) {
      throw new UserError(
        `Removing ${id} would leave ${remaining.length} voter${remaining.length === 1 ? '' : 's'} of which only ${running.length} ${running.length === 1 ? 'is' : 'are'} running; ` +
          `a majority (${needed}) must run for the cluster to commit anything. Start ${remaining.filter((n) => states.get(n.id) !== 'running').map((n) => n.id).join(', ')} first.`,
      );
    }
  }

  /**
   * Waits until the removed node's process can be stopped without costing the cluster its
   * elections (removal-handover.ts says when, and why not sooner). After HANDOVER_TIMEOUT_MS it
   * gives up with a sentence and leaves the process running: its vote may still be needed.
   */
  private async waitForHandover(id: string, removalIndex: number): Promise<void> {
    const deadline = Date.now() + this.handoverTimeoutMs;
    let handover = removalHandover(this.host.state(), id, removalIndex);
    while (!handover.done && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, CATCH_UP_POLL_MS));
      handover = removalHandover(this.host.state(), id, removalIndex);
    }
    if (handover.done) return;
    const why = handover.waitingFor.length > 0 ? `${handover.waitingFor.join(', ')} ${handover.waitingFor.length === 1 ? 'has' : 'have'} not applied the configuration without it` : 'no leader without it is known';
    this.host.events.add('member', id, `${id} keeps running after its removal: ${why}`, { index: removalIndex });
    throw new UserError(
      `${id} was removed from the configuration (index ${removalIndex}), but after ${this.handoverTimeoutMs / 1000} s ${why}, so its process keeps running: ` +
        `the cluster may still need its vote. Run raftdesk member remove ${id} again once they have caught up (raftdesk status shows each node's applied index).`,
    );
  }

  private async ask(action: MembershipAction, id: string): Promise<MemberChangeResult> {
    return this.host.withClient((kv) => kv.changeMembership(action, id));
  }

  /** Waits until the learner's log is within CAUGHT_UP_SLACK entries of the leader's commit index. */
  private async waitCaughtUp(id: string, onProgress: (p: CatchUpProgress) => void): Promise<void> {
    let last = -1;
    for (;;) {
      const view = await this.host.withClient((kv) => kv.members());
      const member = view.members.find((m) => m.id === id);
      const match = member?.match ?? 0;
      if (match !== last) {
        onProgress({ id, match, target: view.commitIndex });
        last = match;
      }
      if (member && match + CAUGHT_UP_SLACK >= view.commitIndex) return;
      if (!this.host.state().nodes.some((n) => n.id === id && n.state === 'running')) {
        throw new UserError(`${id} stopped while catching up (see its log with raftdesk status); it stays a learner — start it again, then run raftdesk member promote.`);
      }
      await new Promise((r) => setTimeout(r, CATCH_UP_POLL_MS));
    }
  }

  private async undoAdd(id: string): Promise<void> {
    const host = this.host;
    await host.commitDefinition({ ...host.definition(), nodes: host.definition().nodes.filter((n) => n.id !== id) });
    host.pushMembers();
    await host.forgetNode(id);
    await fs.rm(host.paths.nodeDir(id), { recursive: true, force: true });
    await fs.rm(host.paths.nodeMarker(id), { force: true });
  }

  /** Moves a removed node's folder (its WAL and log) aside rather than deleting it, with its data
   *  marker (so that a new node may take the ID again without being refused as one that lost data). */
  private async setDataAside(id: string): Promise<string | null> {
    const from = this.host.paths.nodeDir(id);
    const to = `${from}.removed-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await fs.rename(from, to);
      await fs.rename(this.host.paths.nodeMarker(id), `${to}/identity-marker.json`).catch(() => undefined);
      return to;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        await fs.rm(this.host.paths.nodeMarker(id), { force: true });
        return null;
      }
      throw e;
    }
  }

  private async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new UserError(`Another membership change is in progress (${this.busy}); wait for it to finish.`);
    this.busy = what;
    try {
      return await fn();
    } finally {
      this.busy = null;
    }
  }
}

function withoutLearnerFlag(node: NodeDefinition): NodeDefinition {
  const copy = { ...node };
  delete copy.learner;
  return copy;
}
