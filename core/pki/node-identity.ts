// How a certificate names its holder. A node certificate carries the URI SAN urn:raftdesk:node:<id>
// (the ID percent-encoded), the client certificate urn:raftdesk:client. Peers are identified by that
// URI only, never by CN or by address: addresses change, the ID is what the cluster configures.

import { isIP } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import { parseSubjectAltNames } from './subject-alt-names.js';

export const NODE_URI_PREFIX = 'urn:raftdesk:node:';
export const CLIENT_URI = 'urn:raftdesk:client';

/**
 * Node IDs are also file names under pki/ and nodes/, so they are kept to a portable alphabet and
 * may not be "." or "..". The cluster definition's validation accepts a subset of this.
 */
export const NODE_ID_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._-]{1,63}$/;

export function isValidNodeId(id: string): boolean {
  return NODE_ID_PATTERN.test(id);
}

export function nodeUri(id: string): string {
  return NODE_URI_PREFIX + encodeURIComponent(id);
}

/** A host a certificate can name: an IP address or a DNS name. */
export function isValidHost(host: string): boolean {
  if (isIP(host) !== 0) return true;
  return host.length <= 253 && /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/.test(host);
}

/**
 * The node ID a certificate names, from its subject alternative names as Node prints them.
 * Null for a client certificate, a certificate without a node URI, or one that names several.
 */
export function nodeIdFromSubjectAltName(subjectAltName: string | undefined): string | null {
  if (!subjectAltName) return null;
  const names = parseSubjectAltNames(subjectAltName);
  if (!names) return null;
  const ids = names.filter((n) => n.type === 'URI' && n.value.startsWith(NODE_URI_PREFIX)).map((n) => n.value.slice(NODE_URI_PREFIX.length));
  if (ids.length !== 1) return null;
  try {
    const id = decodeURIComponent(ids[0]!);
    return isValidNodeId(id) ? id : null;
  } catch {
    return null;
  }
}

/** The node ID a TLS peer's certificate names (see nodeIdFromSubjectAltName). */
export function nodeIdOf(cert: PeerCertificate): string | null {
  return nodeIdFromSubjectAltName(cert.subjectaltname);
}
