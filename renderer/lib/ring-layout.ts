// Places n node cards evenly on an ellipse inside a box, the first at the top, clockwise.

export interface Point {
  x: number;
  y: number;
}

/**
 * Centres of the cards. The ellipse is inset by half a card (plus margin) so that every card
 * stays inside the box; with one node the card sits in the middle.
 */
export function ringPositions(n: number, width: number, height: number, cardWidth: number, cardHeight: number): Point[] {
  const cx = width / 2;
  const cy = height / 2;
  if (n <= 1) return n === 1 ? [{ x: cx, y: cy }] : [];
  const margin = 8;
  const rx = Math.max(0, cx - cardWidth / 2 - margin);
  const ry = Math.max(0, cy - cardHeight / 2 - margin);
  return Array.from({ length: n }, (_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle) };
  });
}

/** The segment a→b shifted sideways by `offset` px, so that the two directions of a link sit side by side. */
export function offsetSegment(a: Point, b: Point, offset: number): { a: Point; b: Point } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ox = (-dy / len) * offset;
  const oy = (dx / len) * offset;
  return { a: { x: a.x + ox, y: a.y + oy }, b: { x: b.x + ox, y: b.y + oy } };
}
