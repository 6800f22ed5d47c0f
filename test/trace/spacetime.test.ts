import { describe, expect, it } from 'vitest';
import { pairMessages } from '../../core/trace/message-pairs.js';
import { spacetimeLayout } from '../../core/trace/spacetime-layout.js';
import { spacetimeSvg } from '../../core/trace/spacetime-svg.js';
import { messageKind } from '../../core/trace/message-colors.js';
import { message } from './fixtures.js';

const arrows = pairMessages([
  message('n1', 'send', 'Vote', 'n1', 'n2', 1000, { term: 3 }),
  message('n2', 'receive', 'Vote', 'n1', 'n2', 1100, { term: 3 }),
  message('n2', 'send', 'VoteResp', 'n2', 'n1', 1200, { term: 3 }),
  message('n1', 'receive', 'VoteResp', 'n2', 'n1', 1300, { term: 3 }),
  message('n1', 'drop', 'App', 'n1', 'n3', 1500, { direction: 'out', reason: 'partition' }),
  message('n1', 'send', 'App', 'n1', 'n2', 5000),
]);

describe('spacetime layout', () => {
  const layout = spacetimeLayout({ nodes: ['n1', 'n2', 'n3'], arrows, from: 1000, to: 2000, width: 1072 });

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
    expect(dropped.lost).toBe(true);
    expect(dropped.title).toContain('dropped (partition)');
  });

  it('refuses an empty window', () => {
    expect(() => spacetimeLayout({ nodes: ['n1'], arrows, from: 5, to: 5, width: 100 })).toThrow(/end after it starts/);
  });

  it('serialises to a standalone SVG document with a title per arrow', () => {
    const svg = spacetimeSvg(layout, 'demo <run>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>demo &lt;run&gt;</title>');
    expect(svg.match(/<g><title>/g)).toHaveLength(3);
    expect(svg).toContain('<title>Vote n1→n2, term 3</title>');
    expect(svg).not.toContain('<script');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
