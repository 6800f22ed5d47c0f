// What a key may be, checked the same way by the client library (before sending) and the client
// API (on what arrives): any non-empty Unicode text up to MAX_KEY_BYTES of UTF-8.

/** The largest key, in bytes of UTF-8. A URL carries it percent-encoded, up to three times as long. */
export const MAX_KEY_BYTES = 64 * 1024;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** One sentence saying what is wrong with a key, or null when it is fine. */
export function keyProblem(key: string): string | null {
  if (key === '') return 'A key cannot be empty; give it a name.';
  if (LONE_SURROGATE.test(key)) return 'The key contains a lone UTF-16 surrogate, which is not Unicode text; use valid text.';
  if (key.length * 3 > MAX_KEY_BYTES && new TextEncoder().encode(key).length > MAX_KEY_BYTES) {
    return `The key is longer than ${MAX_KEY_BYTES / 1024} KiB of UTF-8; use a shorter key.`;
  }
  return null;
}

/** A key as one URL path segment. "." and ".." are escaped too: URL parsers would resolve them as a path. */
export function encodeKeySegment(key: string): string {
  const encoded = encodeURIComponent(key);
  return encoded === '.' || encoded === '..' ? encoded.replaceAll('.', '%2E') : encoded;
}
