// The lost-write check, on constructed histories: what passes, and each way it fails.

import { describe, expect, it } from 'vitest';
import { checkAcknowledgedWrites } from '../../core/chaos/acknowledged-writes.js';
import { HistoryScript } from './history-script.js';

const FINAL_READER = 9;
const check = (script: HistoryScript, finals: [string, string | null][]) => checkAcknowledgedWrites(script.history(), new Map(finals), FINAL_READER);

describe('checkAcknowledgedWrites', () => {
  it('passes when the final value comes from the last acknowledged write', () => {
    const s = new HistoryScript().op(1, 'write', 'x', 'a').op(2, 'write', 'x', 'b').op(1, 'cas', 'x', ['b', 'c']).op(FINAL_READER, 'read', 'x', null, 'ok', 'c');
    expect(check(s, [['x', 'c']])).toEqual({ ok: true, problems: [], acknowledged: 3 });
  });

  it('passes when concurrent writes land in either order', () => {
    const s = new HistoryScript().invoke(1, 'write', 'x', 'a').invoke(2, 'write', 'x', 'b').complete(2, 'ok').complete(1, 'ok');
    expect(check(s, [['x', 'a']]).ok).toBe(true);
    expect(check(s, [['x', 'b']]).ok).toBe(true);
  });

  it('passes when the final value comes from a write of unknown outcome, which may land at any time', () => {
    const s = new HistoryScript().op(1, 'write', 'x', 'a', 'info').op(2, 'write', 'x', 'b');
    expect(check(s, [['x', 'a']]).ok).toBe(true);
  });

  it('finds an acknowledged write that a value written before it replaced', () => {
    const s = new HistoryScript().op(1, 'write', 'x', 'a').op(2, 'write', 'x', 'b');
    const verdict = check(s, [['x', 'a']]);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual(['The acknowledged write of "b" on "x" (process 2, lines 3–4) is lost: the final value is "a", set by line 1, which completed before the lost one was sent.']);
  });

  it('finds an acknowledged write of a key that ends up absent, unless a delete explains it', () => {
    const lost = new HistoryScript().op(1, 'write', 'x', 'a');
    expect(check(lost, [['x', null]]).problems[0]).toMatch(/^The acknowledged write of "a" on "x" .* is lost: the final value is absent, as if it had never been written\.$/);
    const deleted = new HistoryScript().op(1, 'write', 'x', 'a').op(2, 'delete', 'x', null);
    expect(check(deleted, [['x', null]]).ok).toBe(true);
    // A delete after the value's write is lost when the value comes back.
    expect(check(deleted, [['x', 'a']]).problems[0]).toMatch(/^The acknowledged delete on "x"/);
  });

  it('finds a lost append: the final value ends with an earlier token', () => {
    const s = new HistoryScript().op(1, 'append', 'x', '[a]').op(2, 'append', 'x', '[b]');
    expect(check(s, [['x', '[a][b]']]).ok).toBe(true);
    expect(check(s, [['x', '[a]']]).problems[0]).toMatch(/^The acknowledged append of "\[b\]" on "x"/);
  });

  it('refuses a final value written only by a failed operation, or by nobody', () => {
    const s = new HistoryScript().op(1, 'write', 'x', 'a', 'fail').op(2, 'cas', 'x', [null, 'b'], 'fail');
    expect(check(s, [['x', 'a']]).problems).toEqual(['The final value "a" of "x" was written by an operation the cluster reported as failed (line 1).']);
    expect(check(s, [['x', 'b']]).problems).toEqual(['The final value "b" of "x" was written by an operation the cluster reported as failed (line 3).']);
    expect(check(s, [['x', 'zzz']]).problems).toEqual(['The final value "zzz" of "x" was never written by any client.']);
  });

  it('fails when a key could not be read at the end, and checks each key on its own', () => {
    const s = new HistoryScript().op(1, 'write', 'x', 'a').op(1, 'write', 'y', 'b');
    expect(check(s, [['x', 'a']]).problems).toEqual(['The final value of "y" could not be read, so its acknowledged writes could not be checked.']);
    expect(check(s, [['x', 'a'], ['y', 'b']]).ok).toBe(true);
    expect(check(s, [['x', 'a'], ['y', null]]).problems).toHaveLength(1);
  });
});
