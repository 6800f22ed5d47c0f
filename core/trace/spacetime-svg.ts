// A spacetime layout as a standalone SVG document (the console's download, `raftdesk trace --svg`):
// no scripts, no external references, each arrow with a <title> giving its fields.

import { MESSAGE_KINDS } from './message-colors.js';
import type { SpacetimeLayout } from './spacetime-layout.js';

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
const n = (v: number): string => (Math.round(v * 10) / 10).toString();

export function spacetimeSvg(layout: SpacetimeLayout, title: string): string {
  const legendY = layout.height + 8;
  const height = legendY + 22;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${height}" viewBox="0 0 ${layout.width} ${height}" font-family="system-ui, sans-serif" font-size="11">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push('<defs>');
  for (const kind of MESSAGE_KINDS) {
    out.push(`<marker id="head-${kind.family}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="${kind.color}"/></marker>`);
  }
  out.push('<marker id="head-other" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#64748b"/></marker>');
  out.push('</defs>');
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  for (const tick of layout.ticks) {
    out.push(`<line x1="${n(tick.x)}" y1="12" x2="${n(tick.x)}" y2="${layout.height - 16}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${n(tick.x)}" y="${layout.height - 4}" text-anchor="middle" fill="#6b7280">${escapeXml(tick.label)}</text>`);
  }
  for (const lane of layout.lanes) {
    out.push(`<line x1="${layout.left}" y1="${lane.y}" x2="${layout.right}" y2="${lane.y}" stroke="#111827" stroke-width="1.5"/>`);
    out.push(`<text x="8" y="${lane.y + 4}" fill="#111827" font-weight="600">${escapeXml(lane.node)}</text>`);
  }
  for (const a of layout.arrows) {
    const family = MESSAGE_KINDS.find((k) => k.color === a.color)?.family ?? 'other';
    const dash = a.dashed ? ' stroke-dasharray="4 3"' : '';
    const head = a.lost ? '' : ` marker-end="url(#head-${family})"`;
    out.push(`<g><title>${escapeXml(a.title)}</title><line x1="${n(a.x1)}" y1="${n(a.y1)}" x2="${n(a.x2)}" y2="${n(a.y2)}" stroke="${a.color}" stroke-width="1.2"${dash}${head}/>`);
    if (a.lost) {
      out.push(`<path d="M${n(a.x2 - 3)},${n(a.y2 - 3)} L${n(a.x2 + 3)},${n(a.y2 + 3)} M${n(a.x2 - 3)},${n(a.y2 + 3)} L${n(a.x2 + 3)},${n(a.y2 - 3)}" stroke="#dc2626" stroke-width="1.5"/>`);
    }
    out.push('</g>');
  }
  let x = layout.left;
  for (const kind of MESSAGE_KINDS) {
    out.push(`<line x1="${x}" y1="${legendY + 6}" x2="${x + 16}" y2="${legendY + 6}" stroke="${kind.color}" stroke-width="2"/><text x="${x + 20}" y="${legendY + 10}" fill="#374151">${escapeXml(kind.label)}</text>`);
    x += 30 + kind.label.length * 6.5;
  }
  out.push(`<text x="${x}" y="${legendY + 10}" fill="#374151">dashed: response · ✕: lost or dropped</text>`);
  out.push('</svg>');
  return out.join('\n');
}
