// Reading the workspace PKI's certificates and keys for a TLS endpoint (a node, or the CLI and the
// app as the cluster's client). Apart from workspace-pki.ts, which creates them, so that a node
// process or a CLI command does not load the certificate builder (node-forge) at every start.

import { isValidNodeId } from './node-identity.js';
import type { PemPaths } from './pki-files.js';
import { pkiLayout, readOptional, readPemPair } from './pki-files.js';

/** What a TLS endpoint needs: the cluster CA to trust, and its own certificate and private key (PEM). */
export interface Credentials {
  ca: string;
  cert: string;
  key: string;
}

export async function loadNodeCredentials(pkiDir: string, id: string): Promise<Credentials> {
  if (!isValidNodeId(id)) throw new Error(`"${id}" is not a valid node ID: use letters, digits, '.', '_' or '-'.`);
  const layout = pkiLayout(pkiDir);
  return loadCredentials(layout.ca.cert, layout.node(id), `node ${id}`, layout.root);
}

export async function loadClientCredentials(pkiDir: string): Promise<Credentials> {
  const layout = pkiLayout(pkiDir);
  return loadCredentials(layout.ca.cert, layout.client, 'the client', layout.root);
}

async function loadCredentials(caFile: string, paths: PemPaths, holder: string, root: string): Promise<Credentials> {
  const [ca, pair] = await Promise.all([readOptional(caFile), readPemPair(paths)]);
  if (ca === null || pair === null) {
    throw new Error(`The workspace PKI in ${root} has no certificate for ${holder}: start the cluster (which creates it) and try again.`);
  }
  return { ca, cert: pair.cert, key: pair.key };
}
