import type { ClusterState } from '../../api/cluster-state.js';
import type { Fault, NodeAction } from '../../api/faults.js';
import { callControl } from '../../cluster/control.js';
import { CliExit, intOption, say } from '../output.js';

const NODE_ACTIONS: NodeAction[] = ['kill', 'pause', 'resume', 'restart', 'stop', 'start'];
const USAGE =
  'Use: fault DIR kill|pause|resume|restart|stop|start NODE, partition NODE[,NODE...] [--from NODE,...] [--one-way], isolate NODE, delay NODE MS [--jitter MS], loss NODE PERCENT, or heal.';

export interface FaultOptions {
  from?: string;
  oneWay?: boolean;
  jitter?: string;
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Turns the command line into a fault; exported for tests. */
export function parseFault(kind: string, args: string[], options: FaultOptions, allNodes: string[]): { action: NodeAction; node: string } | Fault[] | 'heal' {
  if (kind === 'heal') return 'heal';
  if ((NODE_ACTIONS as string[]).includes(kind)) {
    if (args.length !== 1) throw new CliExit(2, `fault ${kind} takes one node. ${USAGE}`);
    return { action: kind as NodeAction, node: args[0]! };
  }
  switch (kind) {
    case 'partition': {
      if (args.length !== 1) throw new CliExit(2, `fault partition takes a comma-separated list of nodes. ${USAGE}`);
      const side = list(args[0]!);
      const from = options.from ? list(options.from) : allNodes.filter((n) => !side.includes(n));
      if (options.oneWay) return side.flatMap((a) => from.map((b): Fault => ({ kind: 'cut', from: a, to: b })));
      return [{ kind: 'partition', groups: [side, from] }];
    }
    case 'isolate':
      if (args.length !== 1) throw new CliExit(2, `fault isolate takes one node. ${USAGE}`);
      return [{ kind: 'isolate', node: args[0]! }];
    case 'delay': {
      if (args.length !== 2) throw new CliExit(2, `fault delay takes a node and milliseconds. ${USAGE}`);
      return [{ kind: 'delay', node: args[0]!, ms: intOption('delay', args[1], 0, 0, 60_000), jitterMs: intOption('jitter', options.jitter, 0, 0, 60_000) }];
    }
    case 'loss':
      if (args.length !== 2) throw new CliExit(2, `fault loss takes a node and a percentage. ${USAGE}`);
      return [{ kind: 'loss', node: args[0]!, percent: intOption('loss', args[1], 0, 0, 100) }];
    default:
      throw new CliExit(2, `Unknown fault "${kind}". ${USAGE}`);
  }
}

export async function faultCommand(dir: string, kind: string, args: string[], options: FaultOptions): Promise<void> {
  const state = (await callControl(dir, 'state', [])) as { nodes: { id: string }[] };
  const parsed = parseFault(kind, args, options, state.nodes.map((n) => n.id));
  if (parsed === 'heal') {
    await callControl(dir, 'healAll', []);
    say('Healed every link and resumed paused nodes.');
  } else if (Array.isArray(parsed)) {
    for (const f of parsed) await callControl(dir, 'applyFault', [f]);
    say(`Applied ${kind}.`);
  } else {
    await callControl(dir, 'nodeAction', [parsed.node, parsed.action]);
    if (parsed.action === 'start' || parsed.action === 'restart') await expectStaysUp(dir, parsed.node);
    say(`${parsed.action} ${parsed.node}: done.`);
  }
}

/** How long a started node must stay up before `fault start` calls it done. */
const SETTLE_MS = 1500;

/** A node that says it is ready and exits right after (a full disk, a broken data folder) is not started. */
async function expectStaysUp(dir: string, id: string): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const state = (await callControl(dir, 'state', [])) as ClusterState;
    const node = state.nodes.find((n) => n.id === id);
    if (node && node.state !== 'running' && node.state !== 'starting' && node.state !== 'paused') {
      throw new CliExit(1, `${id} started but exited right away (${node.state})${node.lastError ? `: ${node.lastError}` : `; see ${id}'s log in ${dir}/nodes/${id}/node.log.`}`);
    }
    if (Date.now() >= deadline) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
