// The detached supervisor (`raftdesk up DIR --detach`): runs the cluster in the background, serves
// the control socket, and tells the CLI that started it when a leader is elected (or why not).
// It exits when asked to stop (`raftdesk down`), on SIGTERM/SIGINT, and takes every node with it.

import { writeFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { serveControl, supervisorHandlers } from './control.js';
import { Supervisor } from './supervisor.js';

type StartupMessage = { type: 'started'; leader: string; term: number } | { type: 'failed'; error: string };

const { values } = parseArgs({ options: { workspace: { type: 'string' }, 'leader-timeout-ms': { type: 'string' } } });
const workspace = values.workspace!;
const leaderTimeoutMs = Number(values['leader-timeout-ms'] ?? 15000);

function tellParent(message: StartupMessage): void {
  if (process.connected) {
    process.send!(message, () => process.disconnect());
  }
}

const log = (level: string, message: string) => console.log(`${new Date().toISOString()} ${level} ${message}`);

async function main(): Promise<void> {
  const supervisor = await Supervisor.open(workspace, log);
  let closing = false;
  let control: { close(): Promise<void> } | null = null;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await supervisor.stop();
    await control?.close();
    rmSync(supervisor.paths.supervisorPid, { force: true });
    process.exit(0);
  };
  control = await serveControl(workspace, supervisorHandlers(supervisor, shutdown));
  writeFileSync(supervisor.paths.supervisorPid, `${process.pid}\n`);
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  try {
    await supervisor.start();
    const leader = await supervisor.waitForLeader(leaderTimeoutMs);
    tellParent({ type: 'started', leader, term: supervisor.state().term });
  } catch (e) {
    tellParent({ type: 'failed', error: (e as Error).message });
    await shutdown();
  }
}

main().catch((e: Error) => {
  tellParent({ type: 'failed', error: e.message });
  setTimeout(() => process.exit(1), 100);
});
