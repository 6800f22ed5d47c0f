// The setup table edits a draft: every field as the text the operator typed, so that half-typed
// numbers never fight the inputs. The definition sent for validation is derived from it.

import type { ClusterDefinition, NodeDefinition, StorageKind, ValidationIssue } from '../../core/api/index.js';

export interface NodeDraft {
  id: string;
  host: string;
  peerPort: string;
  clientPort: string;
  /** Overrides: '' means "inherit the cluster default". */
  heartbeatMs: string;
  electionTimeoutMs: string;
  storage: StorageKind | '';
}

export interface DefaultsDraft {
  heartbeatMs: string;
  electionTimeoutMs: string;
  storage: StorageKind;
  fsync: boolean;
  snapshotEntries: string;
  maxInflightMsgs: string;
  maxMsgBytes: string;
  preVote: boolean;
  checkQuorum: boolean;
  minFreeDiskMb: string;
  autoRestart: boolean;
  allowRemoteHosts: boolean;
  /** cluster.json's defaults.leaseReads (absent there means off). */
  leaseReads: boolean;
  /** cluster.json's defaults.traceMaxMb (absent there means TRACE_MAX_MB_DEFAULT). */
  traceMaxMb: string;
}

/** What recorded runs may take when cluster.json does not say (core/workspace DEFAULT_TRACE_MAX_MB). */
export const TRACE_MAX_MB_DEFAULT = 256;

export interface ClusterDraft {
  name: string;
  defaults: DefaultsDraft;
  nodes: NodeDraft[];
}

export type NodeField = keyof NodeDraft;
export type DefaultsField = keyof DefaultsDraft;

export const NODE_FIELDS: readonly NodeField[] = ['id', 'host', 'peerPort', 'clientPort', 'heartbeatMs', 'electionTimeoutMs', 'storage'];
const REQUIRED_NUMBERS: readonly NodeField[] = ['peerPort', 'clientPort'];
type DefaultsNumberField = 'heartbeatMs' | 'electionTimeoutMs' | 'snapshotEntries' | 'maxInflightMsgs' | 'maxMsgBytes' | 'minFreeDiskMb' | 'traceMaxMb';
const DEFAULT_NUMBERS: readonly DefaultsNumberField[] = ['heartbeatMs', 'electionTimeoutMs', 'snapshotEntries', 'maxInflightMsgs', 'maxMsgBytes', 'minFreeDiskMb', 'traceMaxMb'];
export const DEFAULTS_FIELDS: readonly DefaultsField[] = [...DEFAULT_NUMBERS, 'storage', 'fsync', 'preVote', 'checkQuorum', 'autoRestart', 'allowRemoteHosts', 'leaseReads'];

const FIELD_LABELS: Record<NodeField | DefaultsField, string> = {
  id: 'ID',
  host: 'Host',
  peerPort: 'Peer port',
  clientPort: 'Client port',
  heartbeatMs: 'Heartbeat interval',
  electionTimeoutMs: 'Election timeout',
  storage: 'Storage',
  fsync: 'fsync',
  snapshotEntries: 'Snapshot interval',
  maxInflightMsgs: 'Max in-flight messages',
  maxMsgBytes: 'Max message bytes',
  preVote: 'Pre-vote',
  checkQuorum: 'Check quorum',
  minFreeDiskMb: 'Free disk reserve',
  autoRestart: 'Restart crashed nodes',
  allowRemoteHosts: 'Listen beyond this machine',
  leaseReads: 'Lease reads',
  traceMaxMb: 'Recorded runs',
};

export function fieldLabel(field: NodeField | DefaultsField): string {
  return FIELD_LABELS[field];
}

export const nodePath = (row: number, field?: NodeField): string => (field ? `nodes[${row}].${field}` : `nodes[${row}]`);
export const defaultsPath = (field: DefaultsField): string => `defaults.${field}`;

export function draftFromDefinition(definition: ClusterDefinition): ClusterDraft {
  const d = definition.defaults;
  return {
    name: definition.name,
    defaults: {
      heartbeatMs: String(d.heartbeatMs),
      electionTimeoutMs: String(d.electionTimeoutMs),
      storage: d.storage,
      fsync: d.fsync,
      snapshotEntries: String(d.snapshotEntries),
      maxInflightMsgs: String(d.maxInflightMsgs),
      maxMsgBytes: String(d.maxMsgBytes),
      preVote: d.preVote,
      checkQuorum: d.checkQuorum,
      minFreeDiskMb: String(d.minFreeDiskMb),
      autoRestart: d.autoRestart,
      allowRemoteHosts: d.allowRemoteHosts,
      leaseReads: d.leaseReads === true,
      traceMaxMb: String(d.traceMaxMb ?? TRACE_MAX_MB_DEFAULT),
    },
    nodes: definition.nodes.map((n) => ({
      id: n.id,
      host: n.host,
      peerPort: String(n.peerPort),
      clientPort: String(n.clientPort),
      heartbeatMs: n.heartbeatMs === undefined ? '' : String(n.heartbeatMs),
      electionTimeoutMs: n.electionTimeoutMs === undefined ? '' : String(n.electionTimeoutMs),
      storage: n.storage ?? '',
    })),
  };
}

/** Empty text becomes NaN, which the validator reports at the field's path. */
function toNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

export function definitionFromDraft(draft: ClusterDraft): ClusterDefinition {
  const d = draft.defaults;
  return {
    name: draft.name.trim(),
    defaults: {
      heartbeatMs: toNumber(d.heartbeatMs),
      electionTimeoutMs: toNumber(d.electionTimeoutMs),
      storage: d.storage,
      fsync: d.fsync,
      snapshotEntries: toNumber(d.snapshotEntries),
      maxInflightMsgs: toNumber(d.maxInflightMsgs),
      maxMsgBytes: toNumber(d.maxMsgBytes),
      preVote: d.preVote,
      checkQuorum: d.checkQuorum,
      minFreeDiskMb: toNumber(d.minFreeDiskMb),
      autoRestart: d.autoRestart,
      allowRemoteHosts: d.allowRemoteHosts,
      // Written only when on: a cluster.json that never had the setting keeps not having it.
      ...(d.leaseReads ? { leaseReads: true } : {}),
      // Likewise written only when it differs from the default.
      ...(toNumber(d.traceMaxMb) !== TRACE_MAX_MB_DEFAULT ? { traceMaxMb: toNumber(d.traceMaxMb) } : {}),
    },
    nodes: draft.nodes.map((n) => {
      const node: NodeDefinition = { id: n.id.trim(), host: n.host.trim(), peerPort: toNumber(n.peerPort), clientPort: toNumber(n.clientPort) };
      if (n.heartbeatMs.trim() !== '') node.heartbeatMs = toNumber(n.heartbeatMs);
      if (n.electionTimeoutMs.trim() !== '') node.electionTimeoutMs = toNumber(n.electionTimeoutMs);
      if (n.storage !== '') node.storage = n.storage;
      return node;
    }),
  };
}

/**
 * Issues the draft has before the API sees it: required numbers left empty. Everything else is
 * the validator's job, so that the console speaks the CLI's sentences.
 */
export function localIssues(draft: ClusterDraft): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  draft.nodes.forEach((node, row) => {
    for (const field of REQUIRED_NUMBERS) {
      if (node[field].trim() === '') issues.push({ path: nodePath(row, field), severity: 'error', message: `${fieldLabel(field)} is empty; enter a number.` });
    }
  });
  for (const field of DEFAULT_NUMBERS) {
    if (draft.defaults[field].trim() === '') issues.push({ path: defaultsPath(field), severity: 'error', message: `${fieldLabel(field)} is empty; enter a number.` });
  }
  return issues;
}

export interface IssueIndex {
  /** Issues shown beside a cell (or a row, for `nodes[i]`), by path. */
  byPath: ReadonlyMap<string, ValidationIssue[]>;
  /** Issues with no cell to sit beside (the name, the node list as a whole, unknown paths). */
  general: ValidationIssue[];
}

/** Local issues first; an API issue at the same path and with the same sentence is dropped. */
export function indexIssues(draft: ClusterDraft, local: readonly ValidationIssue[], fromApi: readonly ValidationIssue[]): IssueIndex {
  const shown = new Set<string>(['name']);
  draft.nodes.forEach((_, row) => {
    shown.add(nodePath(row));
    for (const field of NODE_FIELDS) shown.add(nodePath(row, field));
  });
  for (const field of DEFAULTS_FIELDS) shown.add(defaultsPath(field));
  const byPath = new Map<string, ValidationIssue[]>();
  const general: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const issue of [...local, ...fromApi]) {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (shown.has(issue.path)) byPath.set(issue.path, [...(byPath.get(issue.path) ?? []), issue]);
    else general.push(issue);
  }
  return { byPath, general };
}

function numericOr(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isInteger(n) ? n : fallback;
}

const FALLBACK_PORT = 7000;

/** Every port a row already claims (peer and client alike: one port serves one use only). */
function usedPorts(nodes: readonly NodeDraft[]): Set<number> {
  const used = new Set<number>();
  for (const n of nodes) {
    for (const text of [n.peerPort, n.clientPort]) {
      const port = numericOr(text, -1);
      if (port > 0) used.add(port);
    }
  }
  return used;
}

/** The lowest port above `after` that no row uses. */
function freePortAbove(used: ReadonlySet<number>, after: number): number {
  let port = after + 1;
  while (used.has(port)) port++;
  return port;
}

/**
 * A preset resizes the table to n rows: the rows that exist keep their IDs, ports and overrides;
 * new rows are appended as by "+ Add node" (free ports, never another row's); extra rows go last
 * first. Undo is the store's job.
 */
export function applyPreset(draft: ClusterDraft, n: number): ClusterDraft {
  if (draft.nodes.length === n) return draft;
  let next: ClusterDraft = { ...draft, nodes: draft.nodes.slice(0, n) };
  while (next.nodes.length < n) next = appendNode(next);
  return next;
}

/** A new row after the last: the next free `nK` id, and a peer and a client port above every port in use. */
export function appendNode(draft: ClusterDraft): ClusterDraft {
  const ids = new Set(draft.nodes.map((n) => n.id.trim()));
  let k = draft.nodes.length + 1;
  while (ids.has(`n${k}`)) k++;
  const used = usedPorts(draft.nodes);
  const highest = used.size === 0 ? FALLBACK_PORT - 1 : Math.max(...used);
  const peerPort = freePortAbove(used, highest);
  const clientPort = freePortAbove(new Set([...used, peerPort]), peerPort);
  const node: NodeDraft = {
    id: `n${k}`,
    host: draft.nodes[draft.nodes.length - 1]?.host || '127.0.0.1',
    peerPort: String(peerPort),
    clientPort: String(clientPort),
    heartbeatMs: '',
    electionTimeoutMs: '',
    storage: '',
  };
  return { ...draft, nodes: [...draft.nodes, node] };
}

export function removeNode(draft: ClusterDraft, row: number): ClusterDraft {
  return { ...draft, nodes: draft.nodes.filter((_, i) => i !== row) };
}

export function setNodeField<F extends NodeField>(draft: ClusterDraft, row: number, field: F, value: NodeDraft[F]): ClusterDraft {
  return { ...draft, nodes: draft.nodes.map((n, i) => (i === row ? { ...n, [field]: value } : n)) };
}

/**
 * How far a node's clock may drift from the leader's for lease reads to stay linearizable: the
 * lease lasts the election timeout minus two heartbeats, so clocks must agree within about
 * 1/(election ticks − 1) (11 % at 100 ms / 1,000 ms). Null while either number is not a valid one.
 */
export function leaseDriftBound(draft: ClusterDraft): number | null {
  const heartbeat = Number(draft.defaults.heartbeatMs);
  const election = Number(draft.defaults.electionTimeoutMs);
  if (!(heartbeat > 0) || !(election > heartbeat)) return null;
  const ticks = Math.floor(election / heartbeat);
  return ticks > 1 ? 1 / (ticks - 1) : null;
}

export function setDefaultsField<F extends DefaultsField>(draft: ClusterDraft, field: F, value: DefaultsDraft[F]): ClusterDraft {
  return { ...draft, defaults: { ...draft.defaults, [field]: value } };
}
