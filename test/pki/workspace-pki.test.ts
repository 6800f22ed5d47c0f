import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkiLayout } from '../../core/pki/pki-files.js';
import { loadClientCredentials, loadNodeCredentials } from '../../core/pki/credentials.js';
import { nodeIdOf } from '../../core/pki/node-identity.js';
import { ensureWorkspacePki } from '../../core/pki/workspace-pki.js';

const NODES = [
  { id: 'n1', host: '127.0.0.1' },
  { id: 'n2', host: 'localhost' },
  { id: 'node_3', host: '::1' },
];

let root: string;
let pkiDir: string;
let otherPkiDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'raftdesk-pki-'));
  pkiDir = path.join(root, 'a', 'pki');
  otherPkiDir = path.join(root, 'b', 'pki');
  await Promise.all([ensureWorkspacePki(pkiDir, NODES), ensureWorkspacePki(otherPkiDir, NODES.slice(0, 1))]);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function snapshotFiles(dir: string): Promise<Record<string, string>> {
  const layout = pkiLayout(dir);
  const files = [layout.ca, layout.client, ...NODES.map((n) => layout.node(n.id))].flatMap((p) => [p.cert, p.key]);
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')] as const)));
}

function asPeerCertificate(pem: string): PeerCertificate {
  // nodeIdOf reads only subjectaltname, which Node prints the same way for X509Certificate.
  return { subjectaltname: new X509Certificate(pem).subjectAltName } as PeerCertificate;
}

describe('ensureWorkspacePki', () => {
  it('writes every private key with mode 0600', async () => {
    const layout = pkiLayout(pkiDir);
    for (const file of [layout.ca.key, layout.client.key, ...NODES.map((n) => layout.node(n.id).key)]) {
      expect((await stat(file)).mode & 0o777, file).toBe(0o600);
    }
  });

  it('issues node certificates that verify against the CA and name the host and the node ID', async () => {
    const ca = new X509Certificate((await loadNodeCredentials(pkiDir, 'n1')).ca);
    for (const node of NODES) {
      const creds = await loadNodeCredentials(pkiDir, node.id);
      const cert = new X509Certificate(creds.cert);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.checkPrivateKey(createPrivateKey(creds.key))).toBe(true);
      expect(cert.subject).toContain(`CN=${node.id}`);
      expect(cert.subjectAltName).toContain(`URI:urn:raftdesk:node:${node.id}`);
      expect(nodeIdOf(asPeerCertificate(creds.cert))).toBe(node.id);
    }
    expect(new X509Certificate((await loadNodeCredentials(pkiDir, 'n1')).cert).checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(new X509Certificate((await loadNodeCredentials(pkiDir, 'n2')).cert).checkHost('localhost')).toBe('localhost');
    expect(new X509Certificate((await loadNodeCredentials(pkiDir, 'node_3')).cert).checkIP('::1')).toBeDefined();
  });

  it('issues a client certificate that names no node', async () => {
    const creds = await loadClientCredentials(pkiDir);
    const cert = new X509Certificate(creds.cert);
    expect(cert.verify(new X509Certificate(creds.ca).publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('URI:urn:raftdesk:client');
    expect(nodeIdOf(asPeerCertificate(creds.cert))).toBeNull();
  });

  it("does not accept another workspace's certificates", async () => {
    const ours = await loadNodeCredentials(pkiDir, 'n1');
    const theirs = await loadNodeCredentials(otherPkiDir, 'n1');
    expect(new X509Certificate(theirs.cert).verify(new X509Certificate(ours.ca).publicKey)).toBe(false);
    expect(new X509Certificate(theirs.cert).checkIssued(new X509Certificate(ours.ca))).toBe(false);
  });

  it('changes nothing when nothing changed', async () => {
    const before = await snapshotFiles(pkiDir);
    await ensureWorkspacePki(pkiDir, NODES);
    expect(await snapshotFiles(pkiDir)).toEqual(before);
  });

  it('regenerates the certificate of a node whose host changed, and only that one', async () => {
    const before = await snapshotFiles(pkiDir);
    const moved = NODES.map((n) => (n.id === 'n2' ? { ...n, host: '127.0.0.2' } : n));
    await ensureWorkspacePki(pkiDir, moved);
    const after = await snapshotFiles(pkiDir);
    const layout = pkiLayout(pkiDir);
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]);
    expect(changed.sort()).toEqual([layout.node('n2').cert, layout.node('n2').key].sort());
    const cert = new X509Certificate(after[layout.node('n2').cert]!);
    expect(cert.checkIP('127.0.0.2')).toBe('127.0.0.2');
    expect(cert.checkHost('localhost')).toBeUndefined();
    expect(nodeIdOf(asPeerCertificate(cert.toString()))).toBe('n2');
  });

  it('regenerates a missing, corrupt or mismatched certificate and restores a loosened key mode', async () => {
    const layout = pkiLayout(pkiDir);
    await rm(layout.node('n1').cert);
    await writeFile(layout.client.cert, 'not a certificate');
    await writeFile(layout.node('node_3').key, (await readFile(layout.node('n2').key, 'utf8')));
    await chmod(layout.ca.key, 0o644);
    const caBefore = await readFile(layout.ca.cert, 'utf8');
    await ensureWorkspacePki(pkiDir, NODES);
    expect(await readFile(layout.ca.cert, 'utf8')).toBe(caBefore);
    expect((await stat(layout.ca.key)).mode & 0o777).toBe(0o600);
    const ca = new X509Certificate(caBefore);
    for (const id of ['n1', 'node_3']) {
      const creds = await loadNodeCredentials(pkiDir, id);
      expect(new X509Certificate(creds.cert).verify(ca.publicKey)).toBe(true);
      expect(new X509Certificate(creds.cert).checkPrivateKey(createPrivateKey(creds.key))).toBe(true);
    }
    expect(new X509Certificate((await loadClientCredentials(pkiDir)).cert).verify(ca.publicKey)).toBe(true);
  });

  it('replaces every certificate when the CA is replaced', async () => {
    const dir = path.join(root, 'c', 'pki');
    await ensureWorkspacePki(dir, NODES.slice(0, 1));
    const layout = pkiLayout(dir);
    await rm(layout.ca.key);
    await ensureWorkspacePki(dir, NODES.slice(0, 1));
    const creds = await loadNodeCredentials(dir, 'n1');
    expect(new X509Certificate(creds.cert).verify(new X509Certificate(creds.ca).publicKey)).toBe(true);
  });

  it('refuses invalid node IDs, duplicate IDs and invalid hosts with a clear error', async () => {
    const dir = path.join(root, 'd', 'pki');
    await expect(ensureWorkspacePki(dir, [{ id: '../x', host: '127.0.0.1' }])).rejects.toThrow(/not a valid node ID/);
    await expect(ensureWorkspacePki(dir, [NODES[0]!, NODES[0]!])).rejects.toThrow(/appears twice/);
    await expect(ensureWorkspacePki(dir, [{ id: 'n1', host: 'bad host' }])).rejects.toThrow(/neither an IP address nor a DNS name/);
  });

  it('says what to do when credentials are missing', async () => {
    await expect(loadNodeCredentials(pkiDir, 'n9')).rejects.toThrow(/no certificate for node n9/);
    await expect(loadClientCredentials(path.join(root, 'none'))).rejects.toThrow(/no certificate for the client/);
  });
});
