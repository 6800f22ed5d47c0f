// A tiny interpreter for golden interaction scripts (test/raft/testdata/*.txt), in the style of
// etcd's datadriven tests. A script is a sequence of blocks:
//
//   # comments
//   command arg arg key=value
//   ----
//   expected output (no blank lines)
//
// Running a script replays every command on a fresh Harness and rebuilds the file with the actual
// output; the test compares that with the file, and REWRITE=1 writes it back.

import { ProposalError, TransferError } from '../../core/raft/errors.js';
import type { ConfChangeSingle, ConfChangeTransition, Message } from '../../core/raft/types.js';
import { ConfChangeTransition as Transition, ConfChangeType } from '../../core/raft/types.js';
import { Harness, bytes, type ConfigOverrides } from './harness.js';
import { describeConfState, describeEntries, describeMessage, describeReady, describeStatus } from './trace-format.js';

interface Command {
  name: string;
  args: string[];
  options: Map<string, string>;
}

function parseCommand(line: string): Command {
  const [name, ...words] = line.trim().split(/\s+/);
  const args: string[] = [];
  const options = new Map<string, string>();
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq > 0) options.set(word.slice(0, eq), word.slice(eq + 1));
    else args.push(word);
  }
  return { name: name!, args, options };
}

class Interpreter {
  private harness: Harness | null = null;
  private ticks = 0;

  private get c(): Harness {
    if (!this.harness) throw new Error('no cluster yet: start the script with "cluster"');
    return this.harness;
  }

  run(command: Command): string[] {
    const { name, args, options } = command;
    switch (name) {
      case 'cluster':
        return this.cluster(args, options);
      case 'campaign':
        this.c.node(args[0]!).campaign();
        return ['ok'];
      case 'tick': {
        const times = Number(args[1] ?? 1);
        this.c.tick(args[0]!, times);
        return ['ok'];
      }
      case 'run':
        return this.runTicks(Number(args[0] ?? 1));
      case 'propose':
        return this.propose(args[0]!, args.slice(1));
      case 'read-index':
        this.c.node(args[0]!).readIndex(Number(args[1]));
        return ['ok'];
      case 'transfer':
        this.c.node(args[0]!).transferLeadership(args[1]!);
        return ['ok'];
      case 'start-transfer':
        return this.startTransfer(args[0]!, args[1]);
      case 'add-node':
        this.c.addNode(args[0]!);
        return ['ok'];
      case 'propose-conf':
        return this.proposeConf(args[0]!, args.slice(1), options.get('transition') ?? 'auto');
      case 'conf':
        return (args.length > 0 ? args : this.c.ids.filter((id) => this.c.nodes.has(id))).map((id) => `${id}: ${describeConfState(this.c.node(id).confState())}`);
      case 'process-ready':
        return args.flatMap((id) => {
          const rd = this.c.processReady(id);
          return rd ? describeReady(id, rd) : [`${id}: nothing ready`];
        });
      case 'deliver':
        return this.deliver((m) => (!options.has('to') || m.to === options.get('to')) && (!options.has('from') || m.from === options.get('from')));
      case 'stabilize':
        return this.stabilize();
      case 'isolate':
        this.c.isolate(args[0]!);
        return ['ok'];
      case 'cut':
        this.c.cutLink(args[0]!, args[1]!);
        return ['ok'];
      case 'heal':
        this.c.heal();
        return ['ok'];
      case 'crash':
        this.c.crash(args[0]!);
        return ['ok'];
      case 'restart':
        this.c.start(args[0]!);
        return ['ok'];
      case 'compact':
        return this.compact(args[0]!);
      case 'report-unreachable':
        this.c.node(args[0]!).reportUnreachable(args[1]!);
        return ['ok'];
      case 'report-snapshot':
        this.c.node(args[0]!).reportSnapshot(args[1]!, args[2] === 'ok');
        return ['ok'];
      case 'status':
        return (args.length > 0 ? args : this.c.ids.filter((id) => this.c.nodes.has(id))).flatMap((id) => describeStatus(this.c.node(id).status()));
      case 'log':
        return args.map((id) => {
          const s = this.c.storages.get(id)!;
          const entries = s.lastIndex() >= s.firstIndex() ? s.entries(s.firstIndex(), s.lastIndex() + 1, Infinity) : [];
          return `${id}: snapshot=${s.snapshot().metadata.index}/${s.snapshot().metadata.term} [${describeEntries(entries)}]`;
        });
      default:
        throw new Error(`unknown command "${name}"`);
    }
  }

  private cluster(ids: string[], options: Map<string, string>): string[] {
    const overrides: ConfigOverrides = {};
    const number = (key: string): number | undefined => (options.has(key) ? Number(options.get(key)) : undefined);
    const flag = (key: string): boolean | undefined => (options.has(key) ? options.get(key) === 'true' : undefined);
    if (number('election') !== undefined) overrides.electionTicks = number('election')!;
    if (number('heartbeat') !== undefined) overrides.heartbeatTicks = number('heartbeat')!;
    if (number('maxmsg') !== undefined) overrides.maxSizePerMsg = number('maxmsg')!;
    if (number('inflight') !== undefined) overrides.maxInflightMsgs = number('inflight')!;
    if (flag('prevote') !== undefined) overrides.preVote = flag('prevote')!;
    if (flag('checkquorum') !== undefined) overrides.checkQuorum = flag('checkquorum')!;
    if (options.has('readonly')) overrides.readOnly = options.get('readonly') === 'lease' ? 'lease-based' : 'safe';
    this.harness = new Harness(ids, overrides);
    this.ticks = 0;
    return ['ok'];
  }

  private propose(id: string, datas: string[]): string[] {
    try {
      const node = this.c.node(id);
      const result = datas.length === 1 ? node.propose(bytes(datas[0]!)) : node.proposeBatch(datas.map(bytes));
      return [`accepted at index=${result.index} term=${result.term}`];
    } catch (error) {
      if (!(error instanceof ProposalError)) throw error;
      return [`refused: ${error.code} (leader ${error.leader || 'unknown'})`];
    }
  }

  /** Changes are words: +n4 adds voter n4 (or promotes it), ~n4 adds learner n4, -n3 removes n3;
   *  none at all (with transition=auto) leaves the joint configuration. */
  private proposeConf(id: string, words: string[], transition: string): string[] {
    const types = new Map<string, ConfChangeSingle['type']>([
      ['+', ConfChangeType.AddNode],
      ['~', ConfChangeType.AddLearnerNode],
      ['-', ConfChangeType.RemoveNode],
    ]);
    const transitions = new Map<string, ConfChangeTransition>([
      ['auto', Transition.Auto],
      ['implicit', Transition.JointImplicit],
      ['explicit', Transition.JointExplicit],
    ]);
    const changes = words.map((w) => {
      const type = types.get(w[0]!);
      if (type === undefined) throw new Error(`bad change "${w}": start it with +, ~ or -`);
      return { type, node: w.slice(1) };
    });
    const t = transitions.get(transition);
    if (t === undefined) throw new Error(`bad transition "${transition}"`);
    try {
      const result = this.c.node(id).proposeConfChange({ transition: t, changes });
      return [`accepted at index=${result.index} term=${result.term}`];
    } catch (error) {
      if (!(error instanceof ProposalError)) throw error;
      return [`refused: ${error.code}: ${error.message}`];
    }
  }

  private startTransfer(id: string, to: string | undefined): string[] {
    try {
      return [`transferring to ${this.c.node(id).startTransfer(to)}`];
    } catch (error) {
      if (!(error instanceof TransferError)) throw error;
      return [`refused: ${error.code}: ${error.message}`];
    }
  }

  private deliver(filter: (m: Message) => boolean): string[] {
    const { delivered, dropped } = this.c.deliver(filter);
    const lines = [...delivered.map((m) => `deliver ${describeMessage(m)}`), ...dropped.map((m) => `drop ${describeMessage(m)}`)];
    return lines.length > 0 ? lines : ['nothing to deliver'];
  }

  private stabilize(): string[] {
    const lines: string[] = [];
    for (let round = 0; round < 1000; round++) {
      let busy = false;
      for (const id of this.c.ids) {
        if (!this.c.nodes.has(id)) continue;
        const rd = this.c.processReady(id);
        if (rd) {
          busy = true;
          lines.push(...describeReady(id, rd));
        }
      }
      if (this.c.queue.length > 0) {
        busy = true;
        lines.push(...this.deliver(() => true));
      }
      if (!busy) return lines.length > 0 ? lines : ['quiet'];
    }
    throw new Error('did not stabilize');
  }

  /** Ticks every running node and runs the cluster to quiet, `times` times; prints only role
   *  changes, so that long stretches of steady heartbeats stay out of the story. */
  private runTicks(times: number): string[] {
    const lines: string[] = [];
    for (let i = 0; i < times; i++) {
      this.ticks++;
      for (const id of this.c.ids) if (this.c.nodes.has(id)) this.c.node(id).tick();
      for (let round = 0; round < 1000; round++) {
        let busy = false;
        for (const id of this.c.ids) {
          if (!this.c.nodes.has(id)) continue;
          const rd = this.c.processReady(id);
          if (!rd) continue;
          busy = true;
          if (rd.softState) lines.push(`tick ${this.ticks}: ${id} is ${rd.softState.role} in term ${this.c.node(id).status().term}, leader ${rd.softState.leader || 'unknown'}`);
        }
        if (this.c.queue.length > 0) {
          busy = true;
          this.c.deliver();
        }
        if (!busy) break;
      }
    }
    return lines.length > 0 ? lines : [`${times} ticks, no role changes`];
  }

  private compact(id: string): string[] {
    const index = this.c.appliedIndex.get(id)!;
    const storage = this.c.storages.get(id)!;
    // The host compacts after advance(): the node's configuration is the one at its applied index.
    storage.compactTo({ metadata: { index, term: storage.term(index), confState: this.c.node(id).confState() }, data: bytes(`state@${index}`) });
    return [`${id} compacted up to ${index}; first index now ${storage.firstIndex()}`];
  }
}

/** Runs a script and returns it with every block's output replaced by what actually happened. */
export function runScript(script: string): string {
  const lines = script.split('\n');
  const out: string[] = [];
  const interpreter = new Interpreter();
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) {
      out.push(line);
      i++;
      continue;
    }
    const command = parseCommand(line);
    if (lines[i + 1] !== '----') throw new Error(`line ${i + 2}: expected "----" after "${line}"`);
    i += 2;
    while (i < lines.length && lines[i]!.trim() !== '') i++;
    out.push(line, '----', ...interpreter.run(command));
  }
  return out.join('\n');
}
