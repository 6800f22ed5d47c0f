// cluster.json: its schema, defaults, the effective settings of each node, and validation with one
// sentence per problem. The same sentences reach the CLI, the console and the node processes.

import net from 'node:net';
import { z } from 'zod';
import type { ClusterDefaults, ClusterDefinition, NodeDefinition, StorageKind, ValidationIssue } from '../api/cluster-definition.js';

export const DEFAULTS: ClusterDefaults = {
  heartbeatMs: 100,
  electionTimeoutMs: 1000,
  storage: 'disk',
  fsync: true,
  snapshotEntries: 10_000,
  maxInflightMsgs: 256,
  maxMsgBytes: 1024 * 1024,
  preVote: true,
  checkQuorum: true,
  minFreeDiskMb: 128,
  autoRestart: false,
  allowRemoteHosts: false,
};

const port = z.number().int().min(1).max(65535);
const storageKind = z.enum(['disk', 'memory']);

const nodeSchema = z.object({
  id: z.string(),
  host: z.string(),
  peerPort: port,
  clientPort: port,
  heartbeatMs: z.number().int().min(1).max(60_000).optional(),
  electionTimeoutMs: z.number().int().min(2).max(600_000).optional(),
  storage: storageKind.optional(),
  joined: z.boolean().optional(),
  learner: z.boolean().optional(),
});

const defaultsSchema = z.object({
  heartbeatMs: z.number().int().min(1).max(60_000).default(DEFAULTS.heartbeatMs),
  electionTimeoutMs: z.number().int().min(2).max(600_000).default(DEFAULTS.electionTimeoutMs),
  storage: storageKind.default(DEFAULTS.storage),
  fsync: z.boolean().default(DEFAULTS.fsync),
  snapshotEntries: z.number().int().min(10).max(100_000_000).default(DEFAULTS.snapshotEntries),
  maxInflightMsgs: z.number().int().min(1).max(65_536).default(DEFAULTS.maxInflightMsgs),
  maxMsgBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(DEFAULTS.maxMsgBytes),
  preVote: z.boolean().default(DEFAULTS.preVote),
  checkQuorum: z.boolean().default(DEFAULTS.checkQuorum),
  minFreeDiskMb: z.number().int().min(0).max(1024 * 1024).default(DEFAULTS.minFreeDiskMb),
  autoRestart: z.boolean().default(DEFAULTS.autoRestart),
  allowRemoteHosts: z.boolean().default(DEFAULTS.allowRemoteHosts),
  leaseReads: z.boolean().optional(),
  traceMaxMb: z.number().int().min(0).max(1024 * 1024).optional(),
});

/** What recorded runs may take when cluster.json does not say (defaults.traceMaxMb). */
export const DEFAULT_TRACE_MAX_MB = 256;

export const definitionSchema = z.object({
  name: z.string().min(1).max(64),
  defaults: defaultsSchema.default(DEFAULTS),
  nodes: z.array(nodeSchema).min(1).max(15),
});

const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const HOST_PATTERN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** The URL of a node's client port (an IPv6 host in brackets). */
export function clientUrl(node: Pick<NodeDefinition, 'host' | 'clientPort'>): string {
  return `https://${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.clientPort}`;
}

/** The settings a node actually runs with: its overrides over the cluster defaults. */
export interface EffectiveNode extends NodeDefinition {
  heartbeatMs: number;
  electionTimeoutMs: number;
  storage: StorageKind;
}

export function effectiveNode(definition: ClusterDefinition, id: string): EffectiveNode {
  const node = definition.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`There is no node "${id}" in this cluster; the nodes are ${definition.nodes.map((n) => n.id).join(', ')}.`);
  return {
    ...node,
    heartbeatMs: node.heartbeatMs ?? definition.defaults.heartbeatMs,
    electionTimeoutMs: node.electionTimeoutMs ?? definition.defaults.electionTimeoutMs,
    storage: node.storage ?? definition.defaults.storage,
  };
}

/** A definition with `count` nodes n1..nN on consecutive ports from basePort (peer, client pairs). */
export function makeDefinition(options: {
  name: string;
  nodes: number;
  basePort: number;
  host?: string;
  defaults?: Partial<ClusterDefaults>;
}): ClusterDefinition {
  const nodes: NodeDefinition[] = [];
  for (let i = 0; i < options.nodes; i++) {
    nodes.push({
      id: `n${i + 1}`,
      host: options.host ?? '127.0.0.1',
      peerPort: options.basePort + 2 * i,
      clientPort: options.basePort + 2 * i + 1,
    });
  }
  return { name: options.name, defaults: { ...DEFAULTS, ...options.defaults }, nodes };
}

function pathOf(parts: PropertyKey[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || 'cluster';
}

const WORDS: Record<string, string> = {
  id: 'ID',
  host: 'host',
  peerPort: 'peer port',
  clientPort: 'client port',
  heartbeatMs: 'heartbeat interval (ms)',
  electionTimeoutMs: 'election timeout (ms)',
  storage: 'storage',
  fsync: 'fsync setting',
  snapshotEntries: 'snapshot interval (entries)',
  maxInflightMsgs: 'maximum of in-flight messages',
  maxMsgBytes: 'maximum message size (bytes)',
  preVote: 'pre-vote setting',
  checkQuorum: 'check-quorum setting',
  minFreeDiskMb: 'free disk reserve (MB)',
  traceMaxMb: 'space for recorded runs (MB)',
  defaults: 'defaults section',
  nodes: 'node list',
};

/**
 * The thing a schema issue is about, in the operator's words: "n2's peer port", "the default
 * election timeout (ms)", "the cluster name" — never `nodes[1].peerPort`.
 */
function subjectOf(parts: PropertyKey[], input: unknown): string {
  const [head, index, field] = parts;
  if (parts.length === 0) return 'cluster.json';
  if (head === 'name') return 'the cluster name';
  if (head === 'defaults') return parts.length > 1 ? `the default ${WORDS[String(index)] ?? String(index)}` : 'the defaults section';
  if (head === 'nodes' && typeof index === 'number') {
    const nodes = (input as { nodes?: unknown } | null)?.nodes;
    const id = Array.isArray(nodes) ? (nodes[index] as { id?: unknown } | undefined)?.id : undefined;
    const who = typeof id === 'string' && id.trim() !== '' ? id : `node ${index + 1}`;
    return field === undefined ? who : `${who}'s ${WORDS[String(field)] ?? String(field)}`;
  }
  return `the field ${parts.map(String).join('.')}`;
}

/** Capitalises "the …" at the start of a sentence; a node ID stays as written (IDs are case-sensitive). */
const capital = (text: string): string => (text.startsWith('the ') || text.startsWith('node ') ? text.charAt(0).toUpperCase() + text.slice(1) : text);

function schemaSentence(issue: z.core.$ZodIssue, input: unknown): string {
  const where = capital(subjectOf(issue.path, input));
  const field = String(issue.path[issue.path.length - 1] ?? '');
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${where} is missing; add it.`;
  if (field === 'name' && issue.path.length === 1) {
    if (issue.code === 'too_small') return 'Give the cluster a name.';
    if (issue.code === 'too_big') return 'The cluster name is too long; keep it to 64 characters.';
  }
  if (field === 'peerPort' || field === 'clientPort') return `${where} must be a whole number from 1 to 65535.`;
  if (issue.code === 'too_small' && field === 'nodes') return 'A cluster needs at least one node; add one.';
  if (issue.code === 'too_big' && field === 'nodes') return 'A cluster can have at most 15 nodes here; remove some.';
  if (issue.code === 'too_small' || issue.code === 'too_big' || (issue.code === 'invalid_type' && issue.expected === 'int')) {
    const limits = 'minimum' in issue ? `at least ${String(issue.minimum)}` : 'maximum' in issue ? `at most ${String(issue.maximum)}` : 'a whole number';
    return `${where} must be ${issue.code === 'invalid_type' ? 'a whole number' : limits}.`;
  }
  if (issue.code === 'invalid_value') return `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
  if (issue.code === 'invalid_type') return `${where} must be ${issue.expected === 'number' ? 'a number' : issue.expected === 'boolean' ? 'true or false' : `a ${issue.expected}`}.`;
  if (issue.code === 'unrecognized_keys') return `${where} has unknown fields ${issue.keys.join(', ')}; remove them.`;
  return `${where}: ${issue.message}.`;
}

/** Parses untrusted JSON-like input into a definition, or returns the problems found. */
export function parseDefinition(input: unknown): { definition: ClusterDefinition | null; issues: ValidationIssue[] } {
  const parsed = definitionSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    return {
      definition: null,
      issues: parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), severity: 'error', message: schemaSentence(issue, input) })),
    };
  }
  const definition = parsed.data as ClusterDefinition;
  return { definition, issues: checkRules(definition) };
}

/** Who can reach a node listening on `host`: this machine only, every interface, or maybe others. */
export function hostReach(host: string): 'loopback' | 'wildcard' | 'other' {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'))) return 'loopback';
  if (h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0') return 'wildcard';
  return 'other';
}

/** One spelling per address for the duplicate-port rule ('*' for a wildcard host). */
function canonicalHost(host: string): string {
  const h = host.toLowerCase();
  if (hostReach(h) === 'wildcard') return '*';
  if (h === 'localhost') return '127.0.0.1';
  return h;
}

/** The rules a well-typed definition must still satisfy (no I/O). */
export function checkRules(definition: ClusterDefinition): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const error = (path: string, message: string) => issues.push({ path, severity: 'error', message });
  const warn = (path: string, message: string) => issues.push({ path, severity: 'warning', message });

  const seenIds = new Map<string, number>();
  const seenPorts: { host: string; port: number; label: string }[] = [];
  definition.nodes.forEach((node, i) => {
    const at = `nodes[${i}]`;
    if (!ID_PATTERN.test(node.id)) {
      // A pasted 200-character ID is shown cut, with its length: the sentence must stay readable.
      const shown = node.id.length > 24 ? `${node.id.slice(0, 20)}…" (${node.id.length} characters` : `${node.id}"`;
      error(`${at}.id`, `Node ID "${shown}${node.id.length > 24 ? ')' : ''} may only use letters, digits, "-" and "_" (1 to 32 characters).`);
    } else if (seenIds.has(node.id)) {
      error(`${at}.id`, `Node ID "${node.id}" is used twice; give every node its own ID.`);
    }
    seenIds.set(node.id, i);

    if (!(net.isIP(node.host) !== 0 || HOST_PATTERN.test(node.host))) {
      error(`${at}.host`, `"${node.host}" is not a valid address for ${node.id}; use an IP address such as 127.0.0.1 or a host name.`);
    } else {
      const reach = hostReach(node.host);
      if (reach !== 'loopback') {
        const what =
          reach === 'wildcard'
            ? `${node.id}'s host ${node.host} listens on every network interface, so other machines can reach its ports`
            : `${node.id}'s host ${node.host} is not a loopback address, so other machines may reach its ports`;
        if (definition.defaults.allowRemoteHosts) warn(`${at}.host`, `${what} (allowed by defaults.allowRemoteHosts); they still need the cluster's certificates.`);
        else error(`${at}.host`, `${what}; use 127.0.0.1, or set defaults.allowRemoteHosts to true (Advanced settings: "Listen beyond this machine") if you mean it.`);
      }
    }
    for (const field of ['peerPort', 'clientPort'] as const) {
      const label = `${node.id} ${field === 'peerPort' ? 'peer' : 'client'} port`;
      const host = canonicalHost(node.host);
      // localhost and 127.0.0.1 are one address; a wildcard host takes the port on every address.
      const other = seenPorts.find((p) => p.port === node[field] && (p.host === host || p.host === '*' || host === '*'));
      if (other) error(`${at}.${field}`, `Port ${node[field]} is used twice (${other.label} and ${label}); give each port to one use only.`);
      else seenPorts.push({ host, port: node[field], label });
    }

    const effective = effectiveNode(definition, node.id);
    const timeoutPath = node.electionTimeoutMs !== undefined ? `${at}.electionTimeoutMs` : 'defaults.electionTimeoutMs';
    if (effective.electionTimeoutMs <= effective.heartbeatMs) {
      error(
        timeoutPath,
        `${node.id}'s election timeout (${effective.electionTimeoutMs} ms) must be larger than its heartbeat interval (${effective.heartbeatMs} ms); about 10× the heartbeat is a good start.`,
      );
    } else if (effective.electionTimeoutMs < 5 * effective.heartbeatMs) {
      warn(
        timeoutPath,
        `${node.id}'s election timeout (${effective.electionTimeoutMs} ms) is under 5× its heartbeat interval (${effective.heartbeatMs} ms); expect needless elections.`,
      );
    }
  });
  if (definition.defaults.leaseReads === true && !definition.defaults.checkQuorum) {
    error('defaults.leaseReads', 'Lease reads need checkQuorum: without it a leader cut off from the cluster keeps answering from its lease; turn checkQuorum on or leaseReads off.');
  }
  return issues;
}

export function hasErrors(issues: ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
