// Where the workspace PKI lives inside pki/, and how its files are written: atomically (temp file +
// rename, so a crash never leaves half a PEM) and, for private keys, readable by the owner only.

import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_KEY_MODE = 0o600;
export const CERTIFICATE_MODE = 0o644;

export interface PemPair {
  cert: string;
  key: string;
}

export function pkiLayout(pkiDir: string) {
  const root = path.resolve(pkiDir);
  return {
    root,
    nodesDir: path.join(root, 'nodes'),
    ca: { cert: path.join(root, 'ca.crt'), key: path.join(root, 'ca.key') },
    client: { cert: path.join(root, 'client.crt'), key: path.join(root, 'client.key') },
    node: (id: string) => ({ cert: path.join(root, 'nodes', `${id}.crt`), key: path.join(root, 'nodes', `${id}.key`) }),
  };
}

export type PemPaths = ReturnType<typeof pkiLayout>['ca'];

/** The file's text, or null when it does not exist. */
export async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function readPemPair(paths: PemPaths): Promise<PemPair | null> {
  const [cert, key] = await Promise.all([readOptional(paths.cert), readOptional(paths.key)]);
  return cert !== null && key !== null ? { cert, key } : null;
}

/** Key first: a crash between the two writes leaves a certificate that no longer matches its key, which the next check regenerates. */
export async function writePemPair(paths: PemPaths, pair: PemPair): Promise<void> {
  await writeAtomically(paths.key, pair.key, PRIVATE_KEY_MODE);
  await writeAtomically(paths.cert, pair.cert, CERTIFICATE_MODE);
}

async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode, flag: 'wx' });
    // The umask may have narrowed the mode further (e.g. 0400); set it exactly.
    await chmod(temp, mode);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Restores mode 0600 on a private key someone loosened. Windows has no such modes. */
export async function restrictKeyMode(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(file);
  if ((mode & 0o777) !== PRIVATE_KEY_MODE) await chmod(file, PRIVATE_KEY_MODE);
}
