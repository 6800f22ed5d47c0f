// The workspace PKI (pki/ in a workspace folder): one cluster CA, one certificate per node and one
// client certificate for the CLI and the app. Everything is made here, on this machine; nothing is
// fetched. ensureWorkspacePki is idempotent: it keeps every certificate that is still right and
// regenerates only what is missing, broken, near expiry, or names an old host. Reading what it made
// is credentials.ts, which node processes and CLI commands load without the certificate builder.

import type { X509Certificate } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { buildCaCertificate, buildClientCertificate, buildNodeCertificate, type Issuer } from './certificate-builder.js';
import { hostAltName, isUsableLeaf, usableCa } from './certificate-check.js';
import { generateRsaKeyPair, type KeyPairPem } from './key-pair.js';
import { CLIENT_URI, isValidHost, isValidNodeId, nodeUri } from './node-identity.js';
import type { PemPaths } from './pki-files.js';
import { pkiLayout, readPemPair, restrictKeyMode, writePemPair } from './pki-files.js';
import type { AltName } from './subject-alt-names.js';

export interface PkiNode {
  id: string;
  host: string;
}

export async function ensureWorkspacePki(pkiDir: string, nodes: PkiNode[]): Promise<void> {
  checkNodes(nodes);
  const layout = pkiLayout(pkiDir);
  await mkdir(layout.nodesDir, { recursive: true, mode: 0o700 });
  const ca = await ensureCa(layout.ca);
  await Promise.all([
    ...nodes.map((node) =>
      ensureLeaf(layout.node(node.id), ca, [hostAltName(node.host), { type: 'URI', value: nodeUri(node.id) }], (keys, issuer) =>
        buildNodeCertificate(node, keys, issuer),
      ),
    ),
    ensureLeaf(layout.client, ca, [{ type: 'URI', value: CLIENT_URI }], buildClientCertificate),
  ]);
}

function checkNodes(nodes: PkiNode[]): void {
  const seen = new Set<string>();
  for (const { id, host } of nodes) {
    if (!isValidNodeId(id)) throw new Error(`"${id}" is not a valid node ID: use 1 to 63 letters, digits, '.', '_' or '-'.`);
    if (seen.has(id)) throw new Error(`Node ID "${id}" appears twice: give every node its own ID.`);
    if (!isValidHost(host)) throw new Error(`Node ${id} has host "${host}", which is neither an IP address nor a DNS name: fix its host.`);
    seen.add(id);
  }
}

/** The CA, created when missing or unusable (which in turn invalidates every certificate it signed). */
async function ensureCa(paths: PemPaths): Promise<Issuer & { x509: X509Certificate }> {
  const existing = await readPemPair(paths);
  const x509 = existing && usableCa(existing);
  if (existing && x509) {
    await restrictKeyMode(paths.key);
    return { certificate: existing.cert, privateKey: existing.key, x509 };
  }
  const keys = await generateRsaKeyPair();
  const certificate = buildCaCertificate(keys);
  await writePemPair(paths, { cert: certificate, key: keys.privateKey });
  return { certificate, privateKey: keys.privateKey, x509: usableCa({ cert: certificate, key: keys.privateKey })! };
}

async function ensureLeaf(
  paths: PemPaths,
  ca: Issuer & { x509: X509Certificate },
  altNames: AltName[],
  build: (keys: KeyPairPem, issuer: Issuer) => string,
): Promise<void> {
  const existing = await readPemPair(paths);
  if (existing && isUsableLeaf(existing, ca.x509, altNames)) {
    await restrictKeyMode(paths.key);
    return;
  }
  const keys = await generateRsaKeyPair();
  await writePemPair(paths, { cert: build(keys, ca), key: keys.privateKey });
}
