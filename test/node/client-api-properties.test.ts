// Property tests of the client API's request parsing: whatever arrives, parsing either yields the
// request that was meant or refuses it with a 400 sentence, and never throws anything else.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCasBody, parseRoute } from '../../core/node/client-api.js';
import { ClientRequestError } from '../../core/node/errors.js';

describe('client API parsing, property-based', () => {
  it('round-trips every key through the URL', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.constantFrom('value', 'cas', 'append'), (key, action) => {
        const path = `/v1/kv/${encodeURIComponent(key)}${action === 'value' ? '' : `/${action}`}`;
        expect(parseRoute(path)).toEqual({ kind: 'kv', key, action });
      }),
    );
  });

  it('never throws on arbitrary paths, and only recognises the known shapes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (path) => {
        const route = parseRoute(path);
        if (route === null) return;
        if (route.kind === 'kv') expect(path.startsWith('/v1/kv/')).toBe(true);
        else expect(['/v1/status', '/v1/entries']).toContain(path);
      }),
    );
  });

  it('parses valid cas bodies exactly', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: null }), fc.string(), (expected, value) => {
        expect(parseCasBody(JSON.stringify({ expected, value }))).toEqual({ expected, value });
      }),
    );
  });

  it('refuses any other body with a 400 sentence and nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (body) => {
        try {
          const parsed = parseCasBody(body);
          const json = JSON.parse(body) as Record<string, unknown>;
          expect(parsed).toEqual({ expected: json.expected, value: json.value });
        } catch (e) {
          expect(e).toBeInstanceOf(ClientRequestError);
          expect((e as ClientRequestError).httpStatus).toBe(400);
          expect((e as ClientRequestError).message).toMatch(/^The body of a cas request must be .*\.$/);
        }
      }),
    );
  });
});
