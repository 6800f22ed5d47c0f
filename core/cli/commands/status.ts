import type { ClusterState, NodeStatus } from '../../api/cluster-state.js';
import { configurationLags } from '../../api/configuration-lag.js';
import { NoSupervisorError, callControl } from '../../cluster/control.js';
import { loadDefinition } from '../../workspace/workspace.js';
import { printJson, say } from '../output.js';

export async function clusterState(dir: string): Promise<ClusterState | null> {
  try {
    return (await callControl(dir, 'state', [], 5000)) as ClusterState;
  } catch (e) {
    if (e instanceof NoSupervisorError) return null;
    throw e;
  }
}

/** The node's active network faults in a few words ("delay 280±20 ms, loss 1%, cut →n2 ←n3"), '' when none. */
export function describeNetwork(n: NodeStatus): string {
  const f = n.faults;
  const parts: string[] = [];
  if (f.delayMs > 0 || f.jitterMs > 0) parts.push(`delay ${f.delayMs}${f.jitterMs > 0 ? `±${f.jitterMs}` : ''} ms`);
  if (f.lossPercent > 0) parts.push(`loss ${f.lossPercent}%`);
  const cuts = [...f.blockedTo.map((p) => `→${p}`), ...f.blockedFrom.map((p) => `←${p}`)];
  if (cuts.length > 0) parts.push(`cut ${cuts.join(' ')}`);
  return parts.join(', ');
}

function row(n: NodeStatus) {
  return {
    id: n.id,
    address: n.address,
    role: n.role ?? 'unknown',
    term: n.term,
    leader: n.leader,
    commitIndex: n.commitIndex,
    appliedIndex: n.appliedIndex,
    lastIndex: n.lastIndex,
    /** True when the indexes are the last ones the node reported before it went down. */
    lastKnown: n.lastKnown === true,
    state: n.state,
    pid: n.pid,
    alarm: n.alarm ?? null,
    lastError: n.lastError,
    network: describeNetwork(n),
    faults: n.faults,
    /** Index of the entry that set the membership configuration this node has applied; null before it reports. */
    configurationIndex: n.appliedConfiguration?.index ?? null,
  };
}

export async function statusCommand(dir: string, options: { json?: boolean }): Promise<void> {
  const state = await clusterState(dir);
  let rows;
  if (state) {
    rows = state.nodes.map(row);
  } else {
    const { definition } = await loadDefinition(dir);
    rows = definition.nodes.map((n) => ({
      id: n.id,
      address: `${n.host}:${n.clientPort}`,
      role: 'unknown',
      term: 0,
      leader: null,
      commitIndex: 0,
      appliedIndex: 0,
      lastIndex: 0,
      lastKnown: false,
      state: 'stopped',
      pid: null,
      alarm: null,
      lastError: null,
      network: '',
      faults: null,
      configurationIndex: null,
    }));
  }
  // cluster.json follows the committed configuration: learners are marked there.
  const learners = new Set((await loadDefinition(dir)).definition.nodes.filter((n) => n.learner).map((n) => n.id));
  const lags = configurationLags(state?.nodes ?? []);
  rows = rows.map((r) => ({ ...r, voter: !learners.has(r.id), configurationBehind: lags.has(r.id) }));
  if (options.json) {
    printJson(rows);
    return;
  }
  const headers = ['ID', 'ADDRESS', 'ROLE', 'TERM', 'LEADER', 'COMMIT', 'APPLIED', 'LAST', 'CONFIG', 'STATE', 'PID', 'NETWORK'];
  // A down node's indexes are its last known ones: marked with "~" (explained below the table).
  const mark = (r: { lastKnown: boolean }, v: number) => (r.lastKnown ? `~${v}` : String(v));
  const table = rows.map((r) => [
    r.id,
    r.address,
    r.voter ? r.role : `${r.role} (learner)`,
    mark(r, r.term),
    r.leader ?? '-',
    mark(r, r.commitIndex),
    mark(r, r.appliedIndex),
    mark(r, r.lastIndex),
    r.configurationIndex === null ? '-' : `@${r.configurationIndex}${r.configurationBehind ? ' old' : ''}`,
    r.state,
    r.pid === null ? '-' : String(r.pid),
    r.network || '-',
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  say(line(headers));
  for (const t of table) say(line(t));
  // Alarms and the reason a node went down: what the operator has to act on.
  for (const n of state?.nodes ?? []) {
    if (n.alarm) say(`ALARM ${n.id}: ${n.alarm}`);
    if ((n.state === 'crashed' || n.state === 'stopped' || n.state === 'killed') && n.lastError) say(`${n.id} is ${n.state}: ${n.lastError}`);
  }
  for (const [id, lag] of lags) {
    say(`${id} still acts on the configuration of entry ${lag.applied} (others have applied entry ${lag.newest}'s): it counts votes and quorums in the old one until it applies its log that far.`);
  }
  if (rows.some((r) => r.lastKnown)) say('~ = last known value, reported before the node went down');
  if (!state) say('(the cluster is not running)');
  else if (state.leader) say(`leader: ${state.leader}, term ${state.term}`);
  else say('no leader right now');
}
