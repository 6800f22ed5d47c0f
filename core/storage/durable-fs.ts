// The few file-system moves the WAL relies on for durability, in one place.

import type { FileHandle } from 'node:fs/promises';
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** A whole file as a plain Uint8Array. Not a Buffer: Buffer#slice returns a view, so values decoded
 *  from it (entry data, snapshot data) would share, and keep alive, the whole file's memory. */
export async function readBytes(file: string): Promise<Uint8Array> {
  const buffer = await readFile(file);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Writes all of `bytes` at `position` (a positioned write may be short; loop until it is not). */
export async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** Makes a directory's entries (created, renamed, removed files) durable. Windows cannot open a
 *  directory for fsync; NTFS journals its metadata instead, so there it is a no-op. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `file` holding `bytes` so that after a crash it either does not exist or holds all of them:
 * write under a temporary name, fsync, rename, fsync the directory. Returns the handle, open on the
 * final file (a new segment goes on appending through it; the caller closes it).
 */
export async function createDurably(file: string, bytes: Uint8Array, fsync: boolean): Promise<FileHandle> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await writeAll(handle, bytes, 0);
    if (fsync) await handle.datasync();
    await rename(tmp, file);
    if (fsync) await syncDirectory(path.dirname(file));
    return handle;
  } catch (e) {
    await handle.close();
    throw e;
  }
}
