import { describe, expect, it } from 'vitest';
import { compareStates } from '../../core/chaos/state-check.js';

const at = (id: string, appliedIndex: number, digest: string | null, unavailable: string | null = null) => ({ id, appliedIndex, digest, unavailable });

describe('compareStates', () => {
  it('passes when every node has the same fingerprint at the same index', () => {
    const v = compareStates([at('n1', 40, 'abcdef0123456789'), at('n2', 40, 'abcdef0123456789'), at('n3', 40, 'abcdef0123456789')]);
    expect(v).toEqual({ ok: true, detail: 'All 3 nodes hold the same state machine at index 40 (SHA-256 abcdef012345…).' });
  });

  it('names the node whose state differs', () => {
    expect(compareStates([at('n1', 40, 'aaa'), at('n2', 40, 'aaa'), at('n3', 40, 'bbb')])).toEqual({ ok: false, detail: "n3's state machine differs from n1's at index 40." });
  });

  it('refuses to compare nodes at different indexes or nodes that could not be read', () => {
    expect(compareStates([at('n1', 40, 'aaa'), at('n2', 39, 'aaa')]).ok).toBe(false);
    expect(compareStates([at('n1', 40, 'aaa'), at('n2', 0, null, 'n2 is paused.')])).toEqual({ ok: false, detail: 'The state of n2 could not be read: n2 is paused.' });
    expect(compareStates([]).ok).toBe(false);
  });
});
