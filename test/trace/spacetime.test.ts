import { describe, expect, it } from 'vitest';
import { spacetimeLayout } from '../../core/trace/spacetime-layout.js';
import { spacetimeSvg } from '../../core/trace/spacetime-svg.js';
import { messageKind } from '../../core/trace/message-colors.js';
import { latestById } from '../../core/trace/trace-messages.js';
import { message } from './fixtures.js';

const messages = [
  message(1, 'Vote', 'n1', 'n2', 1000, 1100, { term: 3 }),
  message(2, 'VoteResp', 'n2', 'n1', 1200, 1300, { term: 3 }),
  message(3, 'App', 'n1', 'n3', null, null, { dropped: { at: 1500, reason: 'partition', direction: 'out' } }),
  message(4, 'App', 'n1', 'n2', 5000, null),
];

describe('spacetime layout', () => {
  const layout = spacetimeLayout({ nodes: ['n1', 'n2', 'n3'], messages, from: 1000, to: 2000, width: 1072 });

  it('draws a lane per node and an arrow per message in the window, from sender to receiver', () => {
    expect(layout.lanes.map((l) => l.node)).toEqual(['n1', 'n2', 'n3']);
    // The App at 5000 is outside the window.
    expect(layout.arrows).toHaveLength(3);
    const [vote, grant, dropped] = layout.arrows;
    const lane = (id: string) => layout.lanes.find((l) => l.node === id)!.y;
    expect([vote.y1, vote.y2]).toEqual([lane('n1'), lane('n2')]);
    expect([grant.y1, grant.y2]).toEqual([lane('n2'), lane('n1')]);
    // Time runs left to right, scaled to the window: 1000 ms over 1000 px from x = 56.
    expect(vote.x1).toBeCloseTo(56);
    expect(vote.x2).toBeCloseTo(156);
    expect(vote.dashed).toBe(false);
    expect(grant.dashed).toBe(true);
    expect(vote.color).toBe(messageKind('Vote').color);
    expect(grant.color).toBe(messageKind('VoteResp').color);
    expect(vote.lost).toBe(false);
    // Dropped at the sender: a stub from the drop, a third of the way towards n3, marked lost.
    expect(dropped.lost).toBe(true);
    expect(dropped.x1).toBeCloseTo(556);
    expect(dropped.y2).toBeCloseTo(lane('n1') + (lane('n3') - lane('n1')) / 3);
    expect(dropped.title).toContain('dropped at the sender (partition)');
  });

  it('draws a message sent before the window and received in it', () => {
    const [arrow] = spacetimeLayout({ nodes: ['n1', 'n2'], messages: [message(9, 'App', 'n1', 'n2', 990, 1010)], from: 1000, to: 2000, width: 1072 }).arrows;
    expect(arrow.x1).toBeLessThan(56);
    expect(arrow.x2).toBeCloseTo(66);
  });

  it('labels ticks as offsets from the origin (the run\'s start)', () => {
    const ticks = spacetimeLayout({ nodes: ['n1'], messages: [], from: 10_250, to: 11_250, width: 1072, origin: 10_000 }).ticks;
    expect(ticks.map((t) => t.label)).toEqual(['+0.3 s', '+0.4 s', '+0.5 s', '+0.6 s', '+0.7 s', '+0.8 s', '+0.9 s', '+1.0 s', '+1.1 s', '+1.2 s']);
    expect(ticks[0].x).toBeCloseTo(56 + 50);
  });

  it('refuses an empty window', () => {
    expect(() => spacetimeLayout({ nodes: ['n1'], messages, from: 5, to: 5, width: 100 })).toThrow(/end after it starts/);
  });

  it('serialises to a standalone SVG document with a title per arrow', () => {
    const svg = spacetimeSvg(layout, 'demo <run>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>demo &lt;run&gt;</title>');
    expect(svg.match(/<g><title>/g)).toHaveLength(3);
    expect(svg).toContain('<title>Vote n1→n2, term 3, 100.00 ms in flight</title>');
    expect(svg).not.toContain('<script');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});

describe('latestById', () => {
  it('keeps the last emission of each message, in time order', () => {
    const alone = message(7, 'App', 'n1', 'n2', 20, null);
    const completed = { ...alone, receivedAt: 25 };
    const earlier = message(8, 'App', 'n1', 'n3', 10, 12);
    expect(latestById([alone, earlier, completed])).toEqual([earlier, completed]);
  });
});
