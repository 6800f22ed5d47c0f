// The TLS settings of every port a node listens on (the peer port and the client port): TLS 1.3
// only, the workspace CA as the only trust root, a client certificate required and verified, and a
// handshake that must finish quickly. One definition, so the two ports cannot drift apart; who may
// do what once the handshake passed is each port's own check.

import type { TlsOptions } from 'node:tls';
import type { Credentials } from './credentials.js';

/** A client that has not finished its TLS handshake by then is dropped (a port scanner, a flood, a stalled client). */
export const HANDSHAKE_TIMEOUT_MS = 5000;

export function mtlsServerOptions(credentials: Credentials) {
  return {
    ca: credentials.ca,
    cert: credentials.cert,
    key: credentials.key,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.3',
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
  } as const satisfies TlsOptions;
}
