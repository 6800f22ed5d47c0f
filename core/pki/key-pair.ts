// RSA key pairs from Node's native crypto: generation runs in libuv's thread pool, orders of magnitude
// faster than node-forge's JavaScript prime search. RSA because node-forge signs only with RSA.

import { generateKeyPair as generateNative } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateNative);

export const RSA_KEY_BITS = 2048;

export interface KeyPairPem {
  /** PKCS#8, unencrypted: the file is protected by its mode (0600), not by a passphrase. */
  privateKey: string;
  /** SPKI. */
  publicKey: string;
}

export async function generateRsaKeyPair(): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generate('rsa', {
    modulusLength: RSA_KEY_BITS,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey, publicKey };
}
