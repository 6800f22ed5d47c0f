// The client library: talks to whichever node is reachable, follows redirects to the leader,
// retries what is safe to retry, and says honestly when an outcome is unknown.
//
// Writes carry a client session (client ID + sequence number) so that retrying an operation whose
// answer was lost applies it at most once. One KvClient issues one operation at a time; run several
// KvClients on one ClusterConnection for concurrency.

import { randomBytes } from 'node:crypto';
import type { NodeStatus } from '../api/cluster-state.js';
import { encodeKeySegment, keyProblem } from '../api/keys.js';
import { READ_CONSISTENCIES, type ReadConsistency } from '../api/reads.js';
import type { ClientErrorCode, ReadPath } from '../api/results.js';
import type { Credentials } from '../pki/credentials.js';
import type { Endpoint, RawResponse } from './http2-pool.js';
import { Http2Pool, TransportError } from './http2-pool.js';
import type { MemberChangeResult, MembershipAction } from '../api/membership.js';

export class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** True when the operation may or may not have taken effect. */
    readonly indeterminate: boolean,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

export type { ReadConsistency };

export interface WriteAnswer {
  index: number;
  term: number;
  /** The node that answered. */
  node: string;
  latencyMs: number;
}

/** GET /v1/status: the node's own view (no process state: the node cannot see that). */
export interface NodeApiStatus extends Pick<NodeStatus, 'role' | 'term' | 'leader' | 'commitIndex' | 'appliedIndex' | 'lastIndex' | 'snapshotIndex' | 'followers'> {
  id: string;
}

export interface ConnectionOptions {
  endpoints: Endpoint[];
  credentials: Credentials;
  /** Overall time an operation may take, retries included. */
  timeoutMs?: number;
}

const RETRY_DELAY_MS = 50;
/** One attempt's share of the budget: a paused or unreachable node must not use it all up, while a
 *  slow but healthy leader still has time to answer (and a retry with the same session is safe). */
const MIN_ATTEMPT_MS = 1000;

export class ClusterConnection {
  readonly pool: Http2Pool;
  private endpointList: Endpoint[];
  readonly timeoutMs: number;
  private leader: string | null = null;
  private next = 0;

  constructor(options: ConnectionOptions) {
    this.pool = new Http2Pool(options.credentials);
    this.endpointList = options.endpoints;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  get endpoints(): readonly Endpoint[] {
    return this.endpointList;
  }

  /** The cluster's members changed (nodes added or removed at runtime): talk to these from now on. */
  setEndpoints(endpoints: Endpoint[]): void {
    if (endpoints.length === 0) return;
    this.endpointList = endpoints;
    if (this.leader && !this.endpoint(this.leader)) this.leader = null;
  }

  endpoint(id: string): Endpoint | undefined {
    return this.endpoints.find((e) => e.id === id);
  }

  /** The node to try first: the known leader, else the next in turn. */
  private pick(avoid: Set<string>): Endpoint {
    if (this.leader && !avoid.has(this.leader)) {
      const e = this.endpoint(this.leader);
      if (e) return e;
    }
    for (let i = 0; i < this.endpoints.length; i++) {
      const e = this.endpoints[(this.next++ + i) % this.endpoints.length]!;
      if (!avoid.has(e.id)) return e;
    }
    avoid.clear();
    return this.endpoints[this.next++ % this.endpoints.length]!;
  }

  /**
   * Sends one operation, following redirects and retrying until it succeeds, fails definitely, or
   * the deadline passes. `idempotent` operations (reads, session writes) are retried after an
   * unknown outcome too.
   */
  async call(method: string, path: string, body: string | null, headers: Record<string, string>, options: { idempotent: boolean; node?: string }): Promise<{ response: RawResponse; node: string; latencyMs: number }> {
    const started = performance.now();
    const deadline = started + this.timeoutMs;
    const avoid = new Set<string>();
    let unknownOutcome = false;
    let lastError = 'no node answered';
    let refusedInARow = 0;
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        throw unknownOutcome
          ? new ClientError('timeout', `No confirmation within ${this.timeoutMs} ms (${lastError}); the operation may or may not have taken effect.`, true)
          : new ClientError('unavailable', `No node could take the operation within ${this.timeoutMs} ms (${lastError}); check that the cluster is up and has a leader.`, false);
      }
      const target = options.node ? this.endpoint(options.node)! : this.pick(avoid);
      const attemptMs = options.node ? remaining : Math.min(remaining, Math.max(MIN_ATTEMPT_MS, this.timeoutMs / 4));
      let response: RawResponse;
      try {
        response = await this.pool.request(target.url, method, path, body, headers, attemptMs);
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        // A timeout at the end of the budget says less than what went wrong before it.
        if (!e.timedOut || lastError === 'no node answered') lastError = e.message;
        if (e.sent) {
          unknownOutcome = true;
          if (!options.idempotent) throw new ClientError('timeout', `Lost the answer from ${target.id} (${e.message}); the operation may or may not have taken effect.`, true);
        }
        if (this.leader === target.id) this.leader = null;
        avoid.add(target.id);
        if (options.node) throw new ClientError('unavailable', `${target.id} did not answer (${e.message}); is it running?`, unknownOutcome);
        // Every node refused the connection outright: nobody is listening, and waiting will not help.
        refusedInARow = e.sent || e.timedOut ? 0 : refusedInARow + 1;
        if (refusedInARow >= this.endpoints.length && !unknownOutcome) {
          throw new ClientError('unavailable', `No node of the cluster accepted a connection (${lastError}); is the cluster running?`, false);
        }
        await delay(Math.min(RETRY_DELAY_MS, Math.max(0, deadline - performance.now())));
        continue;
      }
      refusedInARow = 0;
      if (response.status === 307 && !options.node) {
        const leader = parseJson(response.body)?.leader;
        if (typeof leader === 'string' && this.endpoint(leader)) this.leader = leader;
        else avoid.add(target.id);
        continue;
      }
      if (response.status === 503 && !options.node) {
        const parsed = parseJson(response.body);
        lastError = typeof parsed?.error === 'string' ? parsed.error : `status 503 from ${target.id}`;
        if (parsed?.code === 'no-leader') this.leader = null;
        await delay(Math.min(RETRY_DELAY_MS * 2, Math.max(0, deadline - performance.now())));
        continue;
      }
      if (response.status === 504) {
        lastError = `${target.id} timed out`;
        unknownOutcome = true;
        if (!options.idempotent) throw errorFrom(response, true);
        continue;
      }
      // Followers answer reads too (ReadIndex): only a write's answer says who leads.
      if (response.status === 200 && !options.node && method !== 'GET') this.leader = target.id;
      return { response, node: target.id, latencyMs: performance.now() - started };
    }
  }

  close(): void {
    this.pool.close();
  }
}

export class KvClient {
  readonly clientId: string;
  private seq = 0;

  constructor(
    readonly connection: ClusterConnection,
    options: { clientId?: string; sessions?: boolean } = {},
  ) {
    this.clientId = options.clientId ?? randomBytes(8).toString('hex');
    this.sessions = options.sessions ?? true;
  }

  private readonly sessions: boolean;

  private sessionHeaders(): Record<string, string> {
    if (!this.sessions) return {};
    this.seq++;
    return { 'x-raftdesk-client': this.clientId, 'x-raftdesk-seq': String(this.seq) };
  }

  private async write(method: string, path: string, body: string | null): Promise<{ json: Record<string, unknown>; answer: WriteAnswer }> {
    const headers = this.sessionHeaders();
    const { response, node, latencyMs } = await this.connection.call(method, path, body, headers, { idempotent: this.sessions });
    if (response.status !== 200) throw errorFrom(response, false);
    const json = parseJson(response.body) ?? {};
    return { json, answer: { index: Number(json.index), term: Number(json.term), node, latencyMs } };
  }

  async put(key: string, value: string): Promise<WriteAnswer> {
    return (await this.write('PUT', kvPath(key), value)).answer;
  }

  async delete(key: string): Promise<WriteAnswer & { existed: boolean }> {
    const { json, answer } = await this.write('DELETE', kvPath(key), null);
    return { ...answer, existed: json.existed === true };
  }

  async cas(key: string, expected: string | null, value: string): Promise<WriteAnswer & { swapped: boolean; current: string | null }> {
    const { json, answer } = await this.write('POST', kvPath(key) + '/cas', JSON.stringify({ expected, value }));
    return { ...answer, swapped: json.swapped === true, current: typeof json.current === 'string' ? json.current : null };
  }

  async append(key: string, suffix: string): Promise<WriteAnswer & { value: string }> {
    const { json, answer } = await this.write('POST', kvPath(key) + '/append', suffix);
    return { ...answer, value: String(json.value ?? '') };
  }

  async submit(text: string): Promise<WriteAnswer> {
    return (await this.write('POST', '/v1/entries', text)).answer;
  }

  /** Reads a key without a log entry: linearizable (ReadIndex, on any node), lease (the leader's
   *  lease, where the cluster allows it) or local (that node's state, possibly stale). */
  async get(key: string, options: { consistency?: ReadConsistency; node?: string } = {}): Promise<{ value: string | null; node: string; latencyMs: number } & ReadPath> {
    const consistency = options.consistency ?? 'linearizable';
    const path = kvPath(key) + (consistency === 'linearizable' ? '' : `?consistency=${consistency}`);
    const { response, node, latencyMs } = await this.connection.call('GET', path, null, {}, { idempotent: true, node: options.node });
    const json = parseJson(response.body);
    if (response.status === 404 && json?.code === 'not-found') return { value: null, node, latencyMs, ...readPathOf(json, consistency) };
    if (response.status !== 200) throw errorFrom(response, false);
    return { value: typeof json?.value === 'string' ? json.value : null, node, latencyMs, ...readPathOf(json ?? {}, consistency) };
  }

  /**
   * Asks the leader to change the configuration: add `id` as a learner, promote the learner `id` to
   * voter, or remove `id`. Resolves once the change is applied on the leader.
   */
  async changeMembership(action: MembershipAction, id: string): Promise<MemberChangeResult> {
    const { response } = await this.connection.call('POST', '/v1/members', JSON.stringify({ action, id }), {}, { idempotent: false });
    if (response.status !== 200) throw errorFrom(response, false);
    return parseJson(response.body) as unknown as MemberChangeResult;
  }

  /** The members as the leader knows them (voters and learners, with how far each caught up). */
  async members(): Promise<{ leader: string; term: number; commitIndex: number; members: { id: string; voter: boolean; match: number | null }[] }> {
    const { response } = await this.connection.call('GET', '/v1/members', null, {}, { idempotent: true });
    if (response.status !== 200) throw errorFrom(response, false);
    return parseJson(response.body) as unknown as { leader: string; term: number; commitIndex: number; members: { id: string; voter: boolean; match: number | null }[] };
  }

  /** Moves leadership to `to` (or the most up-to-date follower); resolves once it moved. */
  async transferLeadership(to: string | null): Promise<{ leader: string; term: number; from: string }> {
    const body = JSON.stringify(to === null ? {} : { to });
    const { response, node } = await this.connection.call('POST', '/v1/leader/transfer', body, {}, { idempotent: false });
    if (response.status !== 200) throw errorFrom(response, false);
    const json = parseJson(response.body) ?? {};
    return { leader: String(json.leader), term: Number(json.term), from: node };
  }

  async status(node: string): Promise<NodeApiStatus> {
    const { response } = await this.connection.call('GET', '/v1/status', null, {}, { idempotent: true, node });
    if (response.status !== 200) throw errorFrom(response, false);
    return parseJson(response.body) as unknown as NodeApiStatus;
  }
}

function kvPath(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new ClientError('bad-request', problem, false);
  return `/v1/kv/${encodeKeySegment(key)}`;
}

/** The path the node says the read took (older nodes say nothing: the consistency asked for). */
function readPathOf(json: Record<string, unknown>, asked: ReadConsistency): ReadPath {
  const index = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  const consistency = typeof json.consistency === 'string' && (READ_CONSISTENCIES as readonly string[]).includes(json.consistency) ? (json.consistency as ReadConsistency) : asked;
  return { consistency, readIndex: index(json.readIndex), appliedIndex: index(json.appliedIndex) };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function errorFrom(response: RawResponse, indeterminate: boolean): ClientError {
  const json = parseJson(response.body);
  const code = (typeof json?.code === 'string' ? json.code : 'internal') as ClientErrorCode;
  const message = typeof json?.error === 'string' ? json.error : `The node answered with status ${response.status}.`;
  // Only a 4xx says for sure that nothing happened; a server error may come after the node proposed,
  // except no-space (507), which the node answers before proposing anything.
  return new ClientError(code, message, indeterminate || (response.status >= 500 && code !== 'no-space'));
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
