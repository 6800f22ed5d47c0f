import { fork } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { ClusterEvent } from '../../api/cluster-state.js';
import { serveControl, supervisorHandlers } from '../../cluster/control.js';
import { daemonEntry } from '../../cluster/entry-points.js';
import { Supervisor } from '../../cluster/supervisor.js';
import { UserError } from '../../workspace/user-error.js';
import { loadDefinition } from '../../workspace/workspace.js';
import { cli } from '../../workspace/cli-name.js';
import { CliExit, say } from '../output.js';

export interface UpOptions {
  detach?: boolean;
  json?: boolean;
  leaderTimeout?: string;
}

function formatEvent(e: ClusterEvent): string {
  const time = new Date(e.at).toISOString().slice(11, 23);
  return `${time}  ${(e.node ?? '').padEnd(4)} ${e.message}`;
}

export async function upCommand(dir: string, options: UpOptions): Promise<void> {
  const leaderTimeoutMs = Number(options.leaderTimeout ?? 15000);
  if (options.detach) return upDetached(dir, leaderTimeoutMs, options.json ?? false);

  const supervisor = await Supervisor.open(dir);
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  const control = await serveControl(dir, supervisorHandlers(supervisor, async () => resolveDone()));
  supervisor.onEvent((e) => say(options.json ? JSON.stringify(e) : formatEvent(e)));
  const stop = () => resolveDone();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await supervisor.start();
    const leader = await supervisor.waitForLeader(leaderTimeoutMs);
    if (!options.json) say(`Cluster "${supervisor.definition.name}" is up: leader ${leader}. Press Ctrl-C to stop every node.`);
    await done;
  } finally {
    await supervisor.stop();
    await control.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function upDetached(dir: string, leaderTimeoutMs: number, json: boolean): Promise<void> {
  const { definition } = await loadDefinition(dir);
  const supervisorLog = (await import('../../workspace/paths.js')).workspacePaths(dir).supervisorLog;
  const out = openSync(supervisorLog, 'a', 0o600);
  const { file, execArgv } = daemonEntry();
  const child = fork(file, ['--workspace', dir, '--leader-timeout-ms', String(leaderTimeoutMs)], {
    detached: true,
    env: { ...process.env },
    execArgv,
    stdio: ['ignore', out, out, 'ipc'],
  });
  closeSync(out);
  const outcome = await new Promise<{ type: 'started'; leader: string; term: number } | { type: 'failed'; error: string }>((resolve) => {
    child.once('message', (m) => resolve(m as never));
    child.once('exit', (code) => resolve({ type: 'failed', error: `The supervisor exited (code ${code}) before the cluster was up; see ${supervisorLog}.` }));
  });
  child.removeAllListeners('exit');
  if (child.connected) child.disconnect();
  child.unref();
  if (outcome.type === 'failed') throw new UserError(outcome.error);
  if (json) {
    process.stdout.write(JSON.stringify({ name: definition.name, leader: outcome.leader, term: outcome.term, supervisorPid: child.pid }) + '\n');
    return;
  }
  say(`Cluster "${definition.name}" is up: leader ${outcome.leader} (term ${outcome.term}); supervisor pid ${child.pid}.`);
  say(`See it with \`${cli(`status ${dir}`)}\`; stop it with \`${cli(`down ${dir}`)}\`.`);
}

export async function downCommand(dir: string): Promise<void> {
  const { callControl, NoSupervisorError } = await import('../../cluster/control.js');
  try {
    await callControl(dir, 'stop', []);
  } catch (e) {
    if (!(e instanceof NoSupervisorError)) throw e;
    // No supervisor: nodes it left behind (it was killed, and its reaper too) are stopped all the same.
    const { definition } = await loadDefinition(dir);
    const { killLeftoverNodes } = await import('../../cluster/leftover-nodes.js');
    const killed = await killLeftoverNodes(dir, definition.nodes.map((n) => n.id));
    if (killed.length === 0) throw new CliExit(1, e.message);
    say(`No supervisor was running; killed the node processes it left behind: ${killed.join(', ')}.`);
    return;
  }
  // Wait until the supervisor is gone (its socket stops answering).
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      await callControl(dir, 'ping', [], 500);
      await new Promise((r) => setTimeout(r, 100));
    } catch (e) {
      if (e instanceof NoSupervisorError) {
        say('Stopped every node.');
        return;
      }
    }
  }
  throw new UserError('The supervisor did not stop within 15 s; its nodes may still be running.');
}
