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

export interface RingFit {
  positions: Point[];
  /** How much the cards are scaled down (1 = full size) so that no two overlap and all fit. */
  scale: number;
}

/** True when two cards of the given size centred at a and b overlap, keeping `gap` px between them. */
function overlaps(a: Point, b: Point, w: number, h: number, gap: number): boolean {
  return Math.abs(a.x - b.x) < w + gap && Math.abs(a.y - b.y) < h + gap;
}

/**
 * The ring at the largest card scale (down to `minScale`) at which no two cards overlap: seven
 * full cards on a small window would otherwise cover each other.
 */
export function fitRing(n: number, width: number, height: number, cardWidth: number, cardHeight: number, minScale = 0.6): RingFit {
  let fallback: RingFit | null = null;
  for (let scale = 1; scale >= minScale - 1e-9; scale -= 0.025) {
    const w = cardWidth * scale;
    const h = cardHeight * scale;
    const positions = ringPositions(n, width, height, w, h);
    fallback = { positions, scale };
    let clear = true;
    for (let i = 0; i < n && clear; i++) for (let j = i + 1; j < n && clear; j++) if (overlaps(positions[i]!, positions[j]!, w, h, 6)) clear = false;
    if (clear) return { positions, scale };
  }
  return fallback ?? { positions: [], scale: 1 };
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
