// Node processes a dead supervisor left behind. Each running node's PID is recorded in
// nodes/<id>/node.pid; `up` and `down` SIGKILL a recorded process that is still alive and still that
// node of this workspace (its command line says so: a PID reused by an unrelated process is spared).
// The reaper (reaper.ts) normally gets there first; this covers a reaper that was killed too.

import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import { workspacePaths } from '../workspace/paths.js';

function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    if (process.platform === 'linux') return null;
  }
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  // An orphan that nobody reaped yet is dead for our purposes (it holds no ports).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** SIGKILLs this workspace's leftover node processes and waits for them; returns "id (pid N)" of each. */
export async function killLeftoverNodes(workspace: string, ids: string[]): Promise<string[]> {
  const paths = workspacePaths(workspace);
  const killed: { what: string; pid: number }[] = [];
  for (const id of ids) {
    let pid: number;
    try {
      pid = Number((await fs.readFile(paths.nodePid(id), 'utf8')).trim());
    } catch {
      continue;
    }
    if (!Number.isSafeInteger(pid) || pid <= 1 || gone(pid)) {
      await fs.rm(paths.nodePid(id), { force: true });
      continue;
    }
    const cmd = commandLine(pid);
    if (!cmd || !cmd.includes(`--workspace ${paths.root}`) || !cmd.includes(`--id ${id}`)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push({ what: `${id} (pid ${pid})`, pid });
    } catch {
      // It went by itself.
    }
    await fs.rm(paths.nodePid(id), { force: true });
  }
  const deadline = Date.now() + 5000;
  while (killed.some((k) => !gone(k.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return killed.map((k) => k.what);
}
