import type { ClusterState, NodeStatus } from '../../api/cluster-state.js';
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
    state: n.state,
    pid: n.pid,
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
      state: 'stopped',
      pid: null,
    }));
  }
  // cluster.json follows the committed configuration: learners are marked there.
  const learners = new Set((await loadDefinition(dir)).definition.nodes.filter((n) => n.learner).map((n) => n.id));
  rows = rows.map((r) => ({ ...r, voter: !learners.has(r.id) }));
  if (options.json) {
    printJson(rows);
    return;
  }
  const headers = ['ID', 'ADDRESS', 'ROLE', 'TERM', 'LEADER', 'COMMIT', 'APPLIED', 'LAST', 'STATE', 'PID'];
  const table = rows.map((r) => [r.id, r.address, r.voter ? r.role : `${r.role} (learner)`, String(r.term), r.leader ?? '-', String(r.commitIndex), String(r.appliedIndex), String(r.lastIndex), r.state, r.pid === null ? '-' : String(r.pid)]);
  const widths = headers.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  say(line(headers));
  for (const t of table) say(line(t));
  if (!state) say('(the cluster is not running)');
  else if (state.leader) say(`leader: ${state.leader}, term ${state.term}`);
  else say('no leader right now');
}
