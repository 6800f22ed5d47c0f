// fast-check generators for key/value commands, shared by the codec and state-machine property tests.
import fc from 'fast-check';
import type { ClientSession, Command } from '../../core/kv/index.js';

/** Any Unicode text, including control characters and astral code points (never lone surrogates). */
export const anyText = fc.string({ unit: 'binary', maxLength: 24 });
/** A handful of keys, so that random command sequences hit the same keys often. */
export const fewKeys = fc.constantFrom('x', 'y', 'z', '', 'ключ');

const session: fc.Arbitrary<ClientSession> = fc.record({
  clientId: fc.constantFrom('c1', 'c2', 'c3'),
  seq: fc.oneof(fc.nat(20), fc.constant(Number.MAX_SAFE_INTEGER)),
});

function withOptionalSession<C extends Command>(command: fc.Arbitrary<C>): fc.Arbitrary<Command> {
  return fc.tuple(command, fc.option(session, { nil: undefined })).map(([c, s]) => (s ? { ...c, session: s } : c));
}

export function commandArbitrary(key: fc.Arbitrary<string> = anyText, value: fc.Arbitrary<string> = anyText): fc.Arbitrary<Command> {
  return fc.oneof(
    withOptionalSession(fc.record({ op: fc.constant('put' as const), key, value })),
    withOptionalSession(fc.record({ op: fc.constant('get' as const), key })),
    withOptionalSession(fc.record({ op: fc.constant('delete' as const), key })),
    withOptionalSession(fc.record({ op: fc.constant('cas' as const), key, expected: fc.option(value, { nil: null }), value })),
    withOptionalSession(fc.record({ op: fc.constant('append' as const), key, suffix: value })),
    withOptionalSession(fc.record({ op: fc.constant('submit' as const), text: value })),
    fc.constant({ op: 'noop' as const }),
  );
}
