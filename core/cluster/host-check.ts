// Every node runs on this machine, so every node's host must name one of its addresses: otherwise
// binding fails with a confusing error (or the port check reports "in use" on someone else's host).

import { lookup } from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';

function localAddresses(): Set<string> {
  const out = new Set<string>(['0.0.0.0', '::']);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) out.add(a.address);
  }
  return out;
}

function isLocal(address: string, local: ReadonlySet<string>): boolean {
  if (net.isIPv4(address) && address.startsWith('127.')) return true;
  if (address === '::1' || address.startsWith('::ffff:127.')) return true;
  return local.has(address) || local.has(address.replace(/^::ffff:/, ''));
}

/** Why `host` cannot be used here, in one sentence; null when it is an address of this machine. */
export async function nonLocalHostProblem(host: string, nodeId: string): Promise<string | null> {
  const local = localAddresses();
  let addresses: string[];
  if (net.isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch {
      return `${nodeId}'s host "${host}" does not resolve to an address; use 127.0.0.1 or a name of this machine.`;
    }
  }
  if (addresses.some((a) => isLocal(a, local))) return null;
  const examples = [...local].filter((a) => net.isIPv4(a) && a !== '0.0.0.0').slice(0, 3).join(', ');
  return `${nodeId}'s host ${host} is not an address of this machine, and every node runs here; use 127.0.0.1${examples ? ` or one of ${examples}` : ''}.`;
}
