// Proof that the simulator can fail: each deliberately broken rule (TestOnlyBugs) must be caught
// within a fixed seed budget, by a violation of a kind that rule leads to; the correct core must
// pass the very same seeds.

import { describe, expect, it } from 'vitest';
import type { TestOnlyBugs } from '../../core/raft/config.js';
import type { ViolationKind } from '../../core/sim/invariants.js';
import { SAFETY_KINDS } from '../../core/sim/invariants.js';
import { runSeeds, type BugName } from '../../core/sim/run-seeds.js';
import { simulate } from '../../core/sim/simulation.js';

const BUDGET = { firstSeed: 1, seeds: 150, steps: 300 };

const EXPECTED: Record<BugName, ViolationKind[]> = {
  // Figure 8: an old-term entry committed by count can be overwritten by a later leader.
  commitPreviousTermByCount: ['leader-completeness', 'state-machine-safety', 'lost-proposal'],
  // A leader elected without the committed entries it must carry.
  voteWithoutUpToDateCheck: ['leader-completeness', 'state-machine-safety', 'lost-proposal'],
  // A restarted node votes again in a term it already voted in.
  forgetToPersistVote: ['double-vote', 'election-safety'],
  // The host sent a vote (or an acknowledgement) before persisting it, then crashed.
  sendEverythingBeforePersisting: ['double-vote', 'election-safety', 'leader-completeness', 'state-machine-safety', 'lost-proposal'],
};

describe('the simulator catches broken Raft rules', () => {
  it('the correct core shows no violation over the budget', () => {
    const summary = runSeeds(BUDGET);
    expect(summary.violations).toEqual([]);
    expect(summary.proposalsAcknowledged).toBeGreaterThan(1000);
  });

  it.each(Object.keys(EXPECTED) as BugName[])('%s is caught', (bug) => {
    const bugs: TestOnlyBugs = { [bug]: true };
    const summary = runSeeds({ ...BUDGET, bugs });

    expect(summary.violations.length).toBeGreaterThan(0);
    for (const v of summary.violations) expect(SAFETY_KINDS).toContain(v.kind);
    expect(summary.violations.some((v) => EXPECTED[bug].includes(v.kind))).toBe(true);

    // Each violation replays exactly from its seed, and the command says how.
    const first = summary.violations[0]!;
    expect(first.replay).toBe(`npm run sim -- --seeds 1 --seed ${first.seed} --nodes ${first.nodes} --steps ${BUDGET.steps} --bug ${bug}`);
    const replay = simulate({ seed: first.seed, nodes: first.nodes, steps: BUDGET.steps, bugs });
    expect(replay.violations[0]).toEqual({ kind: first.kind, step: first.step, detail: first.detail });
  });
});
