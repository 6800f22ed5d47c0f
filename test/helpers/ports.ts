// Ports for real-process tests that cannot collide.
//
// The old way, "ask the OS for a free port, close it, hand it to a node that binds it later", lost
// races twice over: the OS hands out those ports from its ephemeral range, where any outgoing
// connection (a node dialling a peer, a client) may take the same port as its source port in
// between; and two test files (or two checkouts testing at once) could be handed the same port.
//
// Here: ports come from below the ephemeral range (20000 up to where it starts, 32768 on Linux and
// 49152 on macOS), which the OS never gives to an outgoing connection. The range is cut into blocks
// of BLOCK ports; a test process claims a whole block with a lock file created exclusively in the
// shared temporary folder (holding its PID), so no other test process on this machine, from any
// checkout, uses a port of it. A block whose owner has died is taken over. Each port is still
// checked bindable before it is handed out, so a port some other program holds is skipped.
// startTestCluster adds the last resort: a start that finds a port in use retries on fresh ports.

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const FIRST_PORT = 20_000;
const BLOCK = 64;
const LOCK_DIR = path.join(os.tmpdir(), 'raftdesk-test-ports');

/** Where the OS starts handing out source ports for outgoing connections. */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && low > FIRST_PORT + BLOCK) return low;
  } catch {
    // Not Linux: the IANA range (macOS, Windows) starts at 49152; 32768 is below both.
  }
  return 32_768;
}

const BLOCKS = Math.floor((ephemeralStart() - FIRST_PORT) / BLOCK);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const owned: string[] = [];
process.once('exit', () => {
  for (const file of owned) rmSync(file, { force: true });
});

/** Claims the lock file of one block; false if a live process holds it. */
function claim(block: number): boolean {
  const file = path.join(LOCK_DIR, `block-${block}`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      owned.push(file);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8').trim() || NaN);
      // An empty file is a claim being written right now; a live PID is a claim in force.
      if (!Number.isInteger(holder) || alive(holder)) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

let blockPorts: number[] = [];

function claimNextBlock(): void {
  mkdirSync(LOCK_DIR, { recursive: true });
  // Start somewhere different in each process so that claims rarely contend.
  const seed = (process.pid * 7919 + Number(process.env.VITEST_POOL_ID ?? 0) * 104_729) % BLOCKS;
  for (let i = 0; i < BLOCKS; i++) {
    const block = (seed + i) % BLOCKS;
    if (claim(block)) {
      const first = FIRST_PORT + block * BLOCK;
      blockPorts = Array.from({ length: BLOCK }, (_, k) => first + k);
      return;
    }
  }
  throw new Error(`Every block of test ports in ${FIRST_PORT}–${FIRST_PORT + BLOCKS * BLOCK - 1} is held by a running process (see ${LOCK_DIR}).`);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` ports on 127.0.0.1 that no other test process will use and that are free right now. */
export async function reservePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    if (blockPorts.length === 0) claimNextBlock();
    const port = blockPorts.shift()!;
    if (await bindable(port)) ports.push(port);
  }
  return ports;
}
