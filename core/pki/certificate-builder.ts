// Builds and signs the workspace's X.509 certificates with node-forge: the cluster CA, one certificate
// per node (server and client auth: a node both accepts and dials peers) and the client certificate
// of the CLI and the app. Only building lives here; deciding what to (re)build is workspace-pki.ts.

import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import type { KeyPairPem } from './key-pair.js';
import { CLIENT_URI, nodeUri } from './node-identity.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const CA_VALIDITY_DAYS = 3650;
export const LEAF_VALIDITY_DAYS = 1825;
/** Backdating absorbs clock differences between the processes' views of "now" (none on one machine, but cheap). */
const BACKDATE_MS = HOUR_MS;

/** SAN entry types of RFC 5280 GeneralName, as node-forge numbers them. */
const SAN_DNS = 2;
const SAN_URI = 6;
const SAN_IP = 7;

export interface Issuer {
  certificate: string;
  privateKey: string;
}

interface CertificateSpec {
  commonName: string;
  keys: KeyPairPem;
  validityDays: number;
  extensions: object[];
  /** Self-signed when absent. */
  issuer?: Issuer;
}

/** Each CA gets a distinct name, so that an operator (and OpenSSL) never confuses two workspaces' CAs. */
export function buildCaCertificate(keys: KeyPairPem): string {
  return build({
    commonName: `raftdesk cluster CA ${randomBytes(4).toString('hex')}`,
    keys,
    validityDays: CA_VALIDITY_DAYS,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
}

export function buildNodeCertificate(node: { id: string; host: string }, keys: KeyPairPem, issuer: Issuer): string {
  const hostName = isIP(node.host) !== 0 ? { type: SAN_IP, ip: node.host } : { type: SAN_DNS, value: node.host };
  return build({
    commonName: node.id,
    keys,
    validityDays: LEAF_VALIDITY_DAYS,
    issuer,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames: [hostName, { type: SAN_URI, value: nodeUri(node.id) }] },
      { name: 'subjectKeyIdentifier' },
    ],
  });
}

export function buildClientCertificate(keys: KeyPairPem, issuer: Issuer): string {
  return build({
    commonName: 'raftdesk client',
    keys,
    validityDays: LEAF_VALIDITY_DAYS,
    issuer,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
      { name: 'subjectAltName', altNames: [{ type: SAN_URI, value: CLIENT_URI }] },
      { name: 'subjectKeyIdentifier' },
    ],
  });
}

function build(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.keys.publicKey);
  cert.serialNumber = randomSerialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + spec.validityDays * DAY_MS);
  // UTF8String: PrintableString (forge's default) has no '_', which node IDs may contain. The typings
  // declare valueTagClass as an asn1.Class, but forge reads it as an asn1.Type tag.
  const subject = [{ name: 'commonName', value: spec.commonName, valueTagClass: forge.asn1.Type.UTF8 as number as forge.asn1.Class }];
  cert.setSubject(subject);
  let signingKey: forge.pki.rsa.PrivateKey;
  const extensions = [...spec.extensions];
  if (spec.issuer) {
    const issuerCert = forge.pki.certificateFromPem(spec.issuer.certificate);
    cert.setIssuer(issuerCert.subject.attributes);
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() });
    signingKey = forge.pki.privateKeyFromPem(spec.issuer.privateKey);
  } else {
    cert.setIssuer(subject);
    signingKey = forge.pki.privateKeyFromPem(spec.keys.privateKey);
  }
  cert.setExtensions(extensions);
  cert.sign(signingKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** 128 random bits with the top bit clear: DER INTEGERs are signed, and serials must be positive. */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}
