// A node that lost its data must not start under the same identity: Raft assumes a node remembers
// its votes and every entry it acknowledged, and an empty (or shortened) log that rejoins can help
// elect a leader without a committed entry, or vote twice in one term.
//
// So the workspace keeps, outside the nodes' data folders, an identity/ folder: the cluster's ID
// (created by the first node that starts) and, per node, a marker with the highest term and commit
// index that node has made durable. The marker is written after the WAL holds that state (never
// ahead of it), at most once a second and when the node stops. At start, a node whose recovered
// state is behind its marker — an empty data folder, a WAL truncated below what it acknowledged, or
// data from another cluster — refuses to start with a sentence saying how to replace it.

import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { HardState } from '../raft/types.js';
import type { DurableLog, LogUpdate } from '../storage/durable-log.js';
import { workspacePaths } from '../workspace/paths.js';

const WRITE_EVERY_MS = 1000;

export interface NodeMarker {
  clusterId: string;
  nodeId: string;
  /** The highest term and commit index this node has made durable. */
  term: number;
  commit: number;
  updatedAt: string;
}

export function identityPaths(workspaceRoot: string) {
  const paths = workspacePaths(workspaceRoot);
  return { dir: paths.identity, clusterId: paths.clusterId, marker: paths.nodeMarker };
}

/** How to go on, in one sentence: replace the node through a membership change, or start afresh. */
export function replaceNodeAdvice(workspaceRoot: string, id: string): string {
  return (
    `To replace it, remove it from the cluster (\`raftdesk member remove ${workspaceRoot} ${id}\`) and add a new, empty node (\`raftdesk member add ${workspaceRoot} NEW_ID\`); ` +
    `or stop the cluster and delete ${path.join(workspaceRoot, 'nodes')} and ${identityPaths(workspaceRoot).dir} to start every node afresh with no data.`
  );
}

export class LostDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LostDataError';
  }
}

async function readText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Creates a file only if it does not exist yet (atomic against other nodes starting at once). */
async function createOnce(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text, { mode: 0o600 });
  try {
    await fs.link(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function writeMarker(file: string, marker: NodeMarker): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(marker) + '\n', { mode: 0o600 });
  await fs.rename(tmp, file);
}

/**
 * Checks a node's recovered state against its marker (throws LostDataError with a sentence) and
 * returns the storage wrapped so that the marker follows what becomes durable.
 */
export async function guardDataIdentity(workspaceRoot: string, id: string, storage: DurableLog, onWriteError: (e: Error) => void): Promise<DurableLog> {
  const paths = identityPaths(workspaceRoot);
  await fs.mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const markerText = await readText(paths.marker(id));
  let marker: NodeMarker | null = null;
  if (markerText !== null) {
    try {
      marker = JSON.parse(markerText) as NodeMarker;
    } catch {
      throw new LostDataError(`${paths.marker(id)} is not valid JSON, so ${id} cannot tell whether it lost data; restore the file or ${replaceNodeAdvice(workspaceRoot, id).replace(/^To replace it, /, 'replace the node: ')}`);
    }
  }
  // The cluster's ID: a node that has a marker but finds no ID restores it; otherwise the first creates it.
  if ((await readText(paths.clusterId)) === null) await createOnce(paths.clusterId, `${marker?.clusterId ?? randomUUID()}\n`);
  const clusterId = (await readText(paths.clusterId))!.trim();

  const { hardState } = storage.initialState();
  if (marker) {
    if (marker.clusterId !== clusterId) {
      throw new LostDataError(`${id}'s marker belongs to another cluster (${marker.clusterId}, this one is ${clusterId}), so its data cannot be trusted here. ${replaceNodeAdvice(workspaceRoot, id)}`);
    }
    if (hardState.term < marker.term || hardState.commit < marker.commit) {
      const what = hardState.term === 0 && hardState.commit === 0 ? 'its data folder is empty' : `its log ends at term ${hardState.term}, commit index ${hardState.commit}`;
      throw new LostDataError(
        `${id} has lost data: ${what}, but it had made term ${marker.term} and commit index ${marker.commit} durable before (${paths.marker(id)}); ` +
          `starting it like this could break Raft's safety (forgotten votes and acknowledged entries). ${replaceNodeAdvice(workspaceRoot, id)}`,
      );
    }
  }
  const tracker = new MarkerWriter(paths.marker(id), { clusterId, nodeId: id, term: hardState.term, commit: hardState.commit, updatedAt: new Date().toISOString() }, onWriteError);
  await tracker.flush(true);
  return new MarkedLog(storage, tracker);
}

class MarkerWriter {
  private written: { term: number; commit: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly marker: NodeMarker,
    private readonly onWriteError: (e: Error) => void,
  ) {}

  /** A hard state that is now durable in the WAL. */
  durable(hs: HardState): void {
    if (hs.term <= this.marker.term && hs.commit <= this.marker.commit) return;
    this.marker.term = Math.max(this.marker.term, hs.term);
    this.marker.commit = Math.max(this.marker.commit, hs.commit);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush(false);
    }, WRITE_EVERY_MS);
  }

  flush(force: boolean): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const { term, commit } = this.marker;
    if (!force && this.written && this.written.term === term && this.written.commit === commit) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        await writeMarker(this.file, { ...this.marker, updatedAt: new Date().toISOString() });
        this.written = { term, commit };
      } catch (e) {
        this.onWriteError(e as Error);
      }
    });
    return this.writing;
  }
}

/** The node's storage, telling the marker what each completed save made durable. */
class MarkedLog implements DurableLog {
  constructor(
    private readonly inner: DurableLog,
    private readonly marker: MarkerWriter,
  ) {}

  async save(update: LogUpdate, sync: boolean): Promise<void> {
    await this.inner.save(update, sync);
    if (update.hardState) this.marker.durable(update.hardState);
  }

  compact(...args: Parameters<DurableLog['compact']>) {
    return this.inner.compact(...args);
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.marker.flush(false);
  }

  initialState() {
    return this.inner.initialState();
  }

  entries(lo: number, hi: number, maxBytes: number) {
    return this.inner.entries(lo, hi, maxBytes);
  }

  term(index: number) {
    return this.inner.term(index);
  }

  firstIndex() {
    return this.inner.firstIndex();
  }

  lastIndex() {
    return this.inner.lastIndex();
  }

  snapshot() {
    return this.inner.snapshot();
  }
}
