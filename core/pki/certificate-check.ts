// Decides whether a certificate on disk can be kept, with Node's native X.509 (fast: this runs on
// every cluster start). A certificate is kept only if it parses, matches its private key, is signed
// by the current CA, is not near expiry and names exactly what the configuration says it should.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import type { PemPair } from './pki-files.js';
import type { AltName } from './subject-alt-names.js';
import { parseSubjectAltNames } from './subject-alt-names.js';

/** Certificates this close to expiry are replaced ahead of time. */
const RENEW_BEFORE_MS = 30 * 24 * 3_600_000;

export function hostAltName(host: string): AltName {
  return isIP(host) !== 0 ? { type: 'IP Address', value: host } : { type: 'DNS', value: host };
}

/** The CA certificate when the pair is a usable CA, else null. */
export function usableCa(pair: PemPair, now = Date.now()): X509Certificate | null {
  const cert = parse(pair);
  return cert && cert.ca && cert.checkIssued(cert) && cert.verify(cert.publicKey) && fresh(cert, now) ? cert : null;
}

export function isUsableLeaf(pair: PemPair, ca: X509Certificate, altNames: AltName[], now = Date.now()): boolean {
  const cert = parse(pair);
  return !!cert && !cert.ca && cert.checkIssued(ca) && cert.verify(ca.publicKey) && fresh(cert, now) && sameAltNames(cert, altNames);
}

function parse(pair: PemPair): X509Certificate | null {
  try {
    const cert = new X509Certificate(pair.cert);
    return cert.checkPrivateKey(createPrivateKey(pair.key)) ? cert : null;
  } catch {
    return null;
  }
}

function fresh(cert: X509Certificate, now: number): boolean {
  return Date.parse(cert.validFrom) <= now && Date.parse(cert.validTo) - RENEW_BEFORE_MS > now;
}

function sameAltNames(cert: X509Certificate, expected: AltName[]): boolean {
  const actual = cert.subjectAltName === undefined ? [] : parseSubjectAltNames(cert.subjectAltName);
  if (!actual || actual.length !== expected.length) return false;
  const key = (n: AltName) => `${n.type}:${canonicalValue(n)}`;
  const want = new Set(expected.map(key));
  return actual.every((n) => want.has(key(n)));
}

/** Node prints IPv6 addresses expanded (0:0:0:0:0:0:0:1) while a configuration says ::1; DNS is case-insensitive. */
function canonicalValue(name: AltName): string {
  if (name.type === 'IP Address' && isIP(name.value) === 6) return new URL(`http://[${name.value}]/`).hostname;
  if (name.type === 'DNS') return name.value.toLowerCase();
  return name.value;
}
