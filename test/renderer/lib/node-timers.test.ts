import { describe, expect, it } from 'vitest';
import type { NodeStatus } from '../../../core/api/index.js';
import { electionCountdown, formatCountdown, heartbeatPeriodMs } from '../../../renderer/lib/node-timers.js';

const node = (over: Partial<NodeStatus>): NodeStatus =>
  ({
    id: 'n1',
    state: 'running',
    role: 'follower',
    timers: { electionElapsed: 20, electionTimeout: 150, heartbeatElapsed: 0, heartbeatInterval: 10, tickMs: 10 },
    ...over,
  }) as NodeStatus;

describe('node timers', () => {
  it('counts a follower down from its report, on the page clock', () => {
    expect(electionCountdown(node({}), 1000, 1000)).toEqual({ leftMs: 1300, fraction: 20 / 150 });
    // 300 ms later, 30 more ticks have gone.
    expect(electionCountdown(node({}), 1000, 1300)).toEqual({ leftMs: 1000, fraction: 50 / 150 });
    // Past the timeout it stays at zero, full.
    expect(electionCountdown(node({}), 1000, 9000)).toEqual({ leftMs: 0, fraction: 1 });
  });

  it('stretches with slow motion (a longer tick)', () => {
    const slow = node({ timers: { electionElapsed: 20, electionTimeout: 150, heartbeatElapsed: 0, heartbeatInterval: 10, tickMs: 100 } });
    expect(electionCountdown(slow, 0, 0)!.leftMs).toBe(13_000);
    expect(heartbeatPeriodMs({ ...slow, role: 'leader' })).toBe(1000);
  });

  it('shows no countdown for leaders, learners, nodes not running or not reporting', () => {
    expect(electionCountdown(node({ role: 'leader' }), 0, 0)).toBeNull();
    expect(electionCountdown(node({ member: 'learner' }), 0, 0)).toBeNull();
    expect(electionCountdown(node({ state: 'paused' }), 0, 0)).toBeNull();
    expect(electionCountdown(node({ timers: null }), 0, 0)).toBeNull();
    expect(heartbeatPeriodMs(node({}))).toBeNull();
    expect(heartbeatPeriodMs(node({ role: 'leader' }))).toBe(100);
  });

  it('formats', () => {
    expect(formatCountdown(1260)).toBe('1.3 s');
    expect(formatCountdown(349.6)).toBe('350 ms');
  });
});
