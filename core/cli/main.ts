// `raftdesk`: everything the window can do, from a shell. Each command takes the workspace folder;
// --json gives machine-readable output; errors are one sentence on stderr with a non-zero exit.

import { Command, CommanderError } from 'commander';
import { reportError } from './output.js';

/** A command's module is loaded only when that command runs, so that `raftdesk get` does not pay
 *  for loading the supervisor, the console and the checker (start-up time is most of a short command). */
function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const command = (await load())[name] as unknown as (...a: unknown[]) => Promise<void>;
    await command(...args);
  };
}
const benchCommand = lazy(() => import('./commands/bench.js'), 'benchCommand');
const chaosCommand = lazy(() => import('./commands/chaos.js'), 'chaosCommand');
const checkCommand = lazy(() => import('./commands/check.js'), 'checkCommand');
const consoleCommand = lazy(() => import('./commands/console.js'), 'consoleCommand');
const faultCommand = lazy(() => import('./commands/fault.js'), 'faultCommand');
const slowmoCommand = lazy(() => import('./commands/slowmo.js'), 'slowmoCommand');
const initCommand = lazy(() => import('./commands/init.js'), 'initCommand');
const kv = () => import('./commands/kv.js');
const appendCommand = lazy(kv, 'appendCommand');
const casCommand = lazy(kv, 'casCommand');
const deleteCommand = lazy(kv, 'deleteCommand');
const getCommand = lazy(kv, 'getCommand');
const putCommand = lazy(kv, 'putCommand');
const submitCommand = lazy(kv, 'submitCommand');
const statusCommand = lazy(() => import('./commands/status.js'), 'statusCommand');
const messagesCommand = lazy(() => import('./commands/messages.js'), 'messagesCommand');
const runsCommand = lazy(() => import('./commands/runs.js'), 'runsCommand');
const traceCommand = lazy(() => import('./commands/runs.js'), 'traceCommand');
const transferCommand = lazy(() => import('./commands/transfer.js'), 'transferCommand');
const memberModule = () => import('./commands/member.js');
const memberListCommand = lazy(memberModule, 'memberListCommand');
const memberAddCommand = lazy(memberModule, 'memberAddCommand');
const memberPromoteCommand = lazy(memberModule, 'memberPromoteCommand');
const memberRemoveCommand = lazy(memberModule, 'memberRemoveCommand');
const downCommand = lazy(() => import('./commands/up.js'), 'downCommand');
const upCommand = lazy(() => import('./commands/up.js'), 'upCommand');

// A closed pipe (`raftdesk status DIR | head -3`) is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

const program = new Command('raftdesk')
  .description('Run, watch, break and verify a real Raft cluster on this machine.')
  .version('0.1.0')
  .showSuggestionAfterError()
  .exitOverride();

program
  .command('init')
  .description('create a workspace folder with cluster.json and certificates')
  .argument('<dir>', 'workspace folder')
  .option('--nodes <n>', 'number of nodes', '3')
  .option('--base-port <port>', 'first port; each node takes a peer and a client port', '7000')
  .option('--heartbeat <ms>', 'heartbeat interval', '100')
  .option('--election <ms>', 'election timeout', '1000')
  .option('--storage <kind>', 'disk or memory', 'disk')
  .option('--name <name>', 'cluster name (default: the folder name)')
  .option('--force', 'replace an existing cluster.json (node data is kept)')
  .option('--json', 'print JSON')
  .option('--quiet', 'print nothing on success')
  .action(initCommand);

program
  .command('up')
  .description('start every node (foreground; Ctrl-C stops all) or in the background with --detach')
  .argument('<dir>', 'workspace folder')
  .option('--detach', 'run in the background and return once a leader is elected')
  .option('--leader-timeout <ms>', 'how long to wait for a leader', '15000')
  .option('--json', 'print JSON')
  .action(upCommand);

program.command('down').description('stop a detached cluster').argument('<dir>', 'workspace folder').action(downCommand);

program
  .command('status')
  .description('every node: role, term, leader, commit and applied index, process state')
  .argument('<dir>', 'workspace folder')
  .option('--json', 'print JSON')
  .action(statusCommand);

const kvOptions = (c: Command) => c.option('--json', 'print JSON').option('--timeout-ms <ms>', 'give up after this long', '5000');

kvOptions(program.command('put').description('write a key').argument('<dir>').argument('<key>').argument('<value>')).action(putCommand);
kvOptions(
  program
    .command('get')
    .description('read a key (linearizable, through the leader)')
    .argument('<dir>')
    .argument('<key>')
    .option('--local <node>', 'read NODE\'s copy directly, possibly stale')
    .option('--node <node>', 'ask NODE (every node answers reads itself; default: any node)')
    .option('--consistency <mode>', 'linearizable (ReadIndex, the default), lease (the leader\'s lease; needs defaults.leaseReads) or local'),
).action(getCommand);
kvOptions(program.command('delete').description('delete a key').argument('<dir>').argument('<key>')).action(deleteCommand);
kvOptions(
  program
    .command('cas')
    .description('compare-and-swap: set KEY to NEW only if it is EXPECTED')
    .argument('<dir>')
    .argument('<key>')
    .argument('<expected>')
    .argument('<new>')
    .option('--absent', 'expect the key to be absent (EXPECTED is ignored)'),
).action(casCommand);
kvOptions(program.command('append').description('append to a key').argument('<dir>').argument('<key>').argument('<suffix>')).action(appendCommand);
kvOptions(program.command('submit').description('commit a free-form entry').argument('<dir>').argument('<text>')).action(submitCommand);

const member = program.command('member').description('change who is in a running cluster: list, add, promote, remove');
member.command('list').description('every member: voter or learner, how far it caught up, its process').argument('<dir>', 'workspace folder').option('--json', 'print JSON').action(memberListCommand);
member
  .command('add')
  .description('add a node: it joins as a learner, catches up, then becomes a voter (returns then)')
  .argument('<dir>', 'workspace folder')
  .argument('<id>', 'the new node\'s ID')
  .option('--host <host>', 'address to listen on (default: the other nodes\')')
  .option('--peer-port <port>', 'peer port (default: a free one)')
  .option('--client-port <port>', 'client port (default: a free one)')
  .option('--heartbeat <ms>', 'heartbeat interval (default: the cluster\'s)')
  .option('--election <ms>', 'election timeout (default: the cluster\'s)')
  .option('--learner', 'stay a learner: receive the log, never vote')
  .option('--json', 'print JSON')
  .action(memberAddCommand);
member.command('promote').description('make a learner a voter').argument('<dir>', 'workspace folder').argument('<id>', 'the learner').option('--json', 'print JSON').action(memberPromoteCommand);
member
  .command('remove')
  .description('remove a node (the leader too): the change commits, then its process stops and its data is set aside')
  .argument('<dir>', 'workspace folder')
  .argument('<id>', 'the node')
  .option('--json', 'print JSON')
  .action(memberRemoveCommand);

program
  .command('transfer')
  .description('move leadership to a node (default: the most up-to-date follower); returns once it leads')
  .argument('<dir>', 'workspace folder')
  .option('--to <id>', 'the node to hand leadership to')
  .option('--timeout-ms <ms>', 'give up after this long', '10000')
  .option('--json', 'print JSON')
  .action(transferCommand);

program
  .command('fault')
  .description('kill|pause|resume|restart|stop|start NODE; partition NODES [--from NODES] [--one-way]; isolate NODE; delay NODE MS; loss NODE PERCENT; heal')
  .argument('<dir>', 'workspace folder')
  .argument('<kind>', 'what to do')
  .argument('[args...]', 'nodes and values')
  .option('--from <nodes>', 'partition: the other side (default: every other node)')
  .option('--one-way', 'partition: only cut traffic from NODES to the other side')
  .option('--jitter <ms>', 'delay: plus or minus this much')
  .action(faultCommand);

program
  .command('slowmo')
  .description('slow motion: every node runs FACTOR times slower (ticks stretched), or "off" for normal speed')
  .argument('<dir>', 'workspace folder')
  .argument('<factor>', 'a whole factor from 1 to 100, or off')
  .action(slowmoCommand);

program
  .command('messages')
  .description("the Raft messages the nodes sent, received and dropped, in time order (from each node's message log)")
  .argument('<dir>', 'workspace folder')
  .option('--node <id>', "only this node's log")
  .option('--type <types>', 'only these message types, e.g. Vote,VoteResp,App')
  .option('--last <n>', 'how many to show first', '50')
  .option('--follow', 'keep printing new messages until Ctrl-C')
  .option('--json', 'print JSON')
  .action(messagesCommand);

program
  .command('runs')
  .description('the recorded runs of the workspace (every cluster run is recorded in DIR/runs/), newest first')
  .argument('<dir>', 'workspace folder')
  .option('--json', 'print JSON')
  .action(runsCommand);

program
  .command('trace')
  .description("a recorded run's messages between two moments as a spacetime diagram (SVG)")
  .argument('<dir>', 'workspace folder')
  .option('--run <id>', 'the run (as raftdesk runs lists it); default: the newest')
  .option('--svg <file>', 'where to write the diagram')
  .option('--from <seconds>', 'seconds since the run started', '0')
  .option('--to <seconds>', 'seconds since the run started (default: --from + 5)')
  .option('--width <px>', 'width of the drawing', '1400')
  .action(traceCommand);

program
  .command('bench')
  .description('measure a running cluster: puts or gets per second, latency and node memory; or (--mode failover) the time to recover from killing the leader')
  .argument('<dir>', 'workspace folder')
  .option('--mode <mode>', 'put (writes through the leader), get (reads spread over every node) or failover (SIGKILL the leader, time the recovery)', 'put')
  .option('--consistency <mode>', 'for --mode get: linearizable (ReadIndex, the default), lease or local')
  .option('--clients <n>', 'concurrent clients, one write in flight each', '64')
  .option('--duration <s>', 'seconds to run', '10')
  .option('--value-size <bytes>', 'size of each value', '256')
  .option('--runs <n>', 'for --mode failover: how many times to kill the leader (default 5)')
  .option('--rss-every <s>', 'also sample every node\'s memory (RSS) every S seconds during the load')
  .option('--failover <runs>', 'the same as --mode failover --runs RUNS')
  .option('--json', 'print JSON')
  .action(benchCommand);

program
  .command('check')
  .description('check a history file (JSON Lines) for linearizability; exit 0 yes, 1 no, 3 undecided, 2 bad input')
  .argument('<file>', 'history file')
  .option('--json', 'print JSON')
  .option('--timeout-ms <ms>', 'give up (exit 3) after this long', '60000')
  .action(checkCommand);

program
  .command('chaos')
  .description('run clients against the cluster while injecting real faults, then check linearizability, lost writes and logs; exit 0 only if every check passes')
  .argument('<dir>', 'workspace folder (the cluster is started for the run if it is not running)')
  .option('--duration <s>', 'seconds the clients run', '60')
  .option('--clients <n>', 'concurrent clients', '8')
  .option('--keys <n>', 'keys the clients share', '5')
  .option('--nemesis <list>', 'faults to inject: comma-separated kill, pause, partition, delay, member (add a node, then remove one)', 'kill,pause,partition,delay')
  .option('--interval <s>', 'seconds between faults', '5')
  .option('--seed <n>', 'seed of the fault schedule and client choices (default: random, printed)')
  .option('--op-timeout <ms>', 'how long a client waits before recording an outcome as unknown', '5000')
  .option('--reads <consistency>', 'how the clients read: linearizable (ReadIndex), lease or local (expected to fail the check); default linearizable')
  .option('--json', 'print the report as JSON')
  .action(chaosCommand);

program
  .command('console')
  .description('serve the console in a browser (127.0.0.1 only, with a per-run token in the URL)')
  .argument('<dir>', 'workspace folder (created with 3 nodes if it does not exist)')
  .option('--port <port>', 'port to listen on (0 = any free port)', '7700')
  .option('--open', 'open the browser')
  .action(consoleCommand);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportError(e);
  }
}
