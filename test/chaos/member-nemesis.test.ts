// The member nemesis on a real cluster: under load, fresh nodes join (learner, caught up, promoted)
// and voters leave — the leader among them — while kills go on; the experiment must still pass every
// check, the cluster must keep its size, and the clients must follow the members. Bounded.

import { afterEach, describe, expect, it } from 'vitest';
import type { Nemesis } from '../../core/api/experiments.js';
import { resolveFault, planNemesis } from '../../core/chaos/nemesis-schedule.js';
import { startTestCluster, type TestCluster } from '../helpers/test-cluster.js';
import { EVERY_CHECK_PASSED, experimentOn, seedCoveringAll } from './run-experiment.js';

const NEMESES: Nemesis[] = ['member', 'kill'];
const DURATION_SEC = 16;
const INTERVAL_SEC = 4;

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

describe('the member nemesis', () => {
  it('plans joins with fresh IDs and retargets nodes that have left', () => {
    const plans = planNemesis({ seed: 3, durationSec: 40, intervalSec: 4, nemeses: ['member', 'kill'], nodes: ['n1', 'n2', 'n3'] });
    const member = plans.find((p) => p.plan.nemesis === 'member')!;
    const fault = resolveFault(member.plan, 'n2', ['n2', 'm1', 'm2']);
    expect(fault).toMatchObject({ kind: 'member', join: 'm3' });
    const kill = plans.find((p) => p.plan.nemesis === 'kill')!;
    const resolved = resolveFault(kill.plan, 'm1', ['m1', 'm2', 'n2']);
    expect(resolved.kind === 'process' && ['m1', 'm2', 'n2'].includes(resolved.node)).toBe(true);
  });

  it('splits the current members in two even when every planned node has left', () => {
    const plans = planNemesis({ seed: 5, durationSec: 40, intervalSec: 4, nemeses: ['partition'], nodes: ['n1', 'n2', 'n3'] });
    for (const { plan } of plans) {
      const resolved = resolveFault(plan, 'm1', ['m1', 'm2', 'm3']);
      if (resolved.kind !== 'network' || resolved.fault.kind !== 'partition') continue;
      const [a, b] = resolved.fault.groups;
      expect(a!.length > 0 && b!.length > 0, JSON.stringify(resolved.fault.groups)).toBe(true);
      expect([...a!, ...b!].sort()).toEqual(['m1', 'm2', 'm3']);
    }
  });

  it('changes the membership under load and every check still passes', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk', snapshotEntries: 50 } });
    const ids = cluster.definition.nodes.map((n) => n.id);
    const seed = seedCoveringAll(NEMESES, ids, DURATION_SEC, INTERVAL_SEC);
    const { report, summary } = await experimentOn(cluster, { durationSec: DURATION_SEC, clients: 4, keys: 3, nemeses: NEMESES, intervalSec: INTERVAL_SEC, seed });

    expect(report.checks.map((c) => [c.name, c.ok]), summary).toEqual(EVERY_CHECK_PASSED);
    const members = cluster.supervisor.recentEvents(5000).filter((e) => e.kind === 'member').map((e) => e.message);
    expect(members.some((m) => / joined as a learner /.test(m)), members.join('\n')).toBe(true);
    expect(members.some((m) => / is now a voter /.test(m))).toBe(true);
    expect(members.some((m) => / was removed from the configuration /.test(m))).toBe(true);
    expect(cluster.supervisor.state().nodes).toHaveLength(3);
    expect(cluster.supervisor.state().nodes.every((n) => n.state === 'running')).toBe(true);
  });
});
