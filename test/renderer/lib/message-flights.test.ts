import { describe, expect, it } from 'vitest';
import type { LinkMessage } from '../../../core/api/index.js';
import { FlightClock, MIN_FLIGHT_MS, LINGER_MS, describeRate, flightAt, heavyLinks, linkRates, visibleSegment } from '../../../renderer/lib/message-flights.js';
import { KIND_STYLES, LEGEND_KINDS, messageKind } from '../../../renderer/lib/message-marks.js';

const msg = (over: Partial<LinkMessage> = {}): LinkMessage => ({
  id: 1, type: 'Vote', from: 'n1', to: 'n2', term: 2, index: 0, logTerm: 0, entries: 0, entryBytes: 0, bytes: 30, commit: 0, reject: false, hint: 0, snapshotIndex: 0,
  sentAt: 1000, receivedAt: 1000.3, dropped: null, ...over,
});

describe('message kinds', () => {
  it('tells each message type apart, responses by their verdict', () => {
    expect(messageKind({ type: 'Vote', reject: false })).toBe('vote');
    expect(messageKind({ type: 'VoteResp', reject: false })).toBe('vote-grant');
    expect(messageKind({ type: 'VoteResp', reject: true })).toBe('vote-reject');
    expect(messageKind({ type: 'PreVoteResp', reject: true })).toBe('pre-vote-reject');
    expect(messageKind({ type: 'AppResp', reject: true })).toBe('append-reject');
    expect(messageKind({ type: 'TimeoutNow', reject: false })).toBe('timeout-now');
    expect(messageKind({ type: 'ReadIndex', reject: false })).toBe('other');
    // Every legend entry has its own look.
    const looks = LEGEND_KINDS.map((k) => `${KIND_STYLES[k].colour}${KIND_STYLES[k].mark}${KIND_STYLES[k].hollow}${KIND_STYLES[k].size}${KIND_STYLES[k].rejected}`);
    expect(new Set(looks).size).toBe(looks.length);
  });
});

describe('message flights', () => {
  it('flies a message from sender to receiver over at least the minimum time, then fades', () => {
    const m = msg();
    expect(flightAt(m, 100, 99)).toBeNull();
    expect(flightAt(m, 100, 100 + MIN_FLIGHT_MS / 2)).toMatchObject({ progress: 0.5, opacity: 1, done: false, kind: 'vote', end: 'arrives' });
    expect(flightAt(m, 100, 100 + MIN_FLIGHT_MS + LINGER_MS / 2)).toMatchObject({ progress: 1, opacity: 0.5, done: true });
    expect(flightAt(m, 100, 100 + MIN_FLIGHT_MS + LINGER_MS + 1)).toBeNull();
    // Held (a stepped message) it stays at its end.
    expect(flightAt(m, 100, 100_000, { hold: true })).toMatchObject({ progress: 1, opacity: 1, done: true });
  });

  it('shows a delay fault as a longer flight, and stops dropped or lost messages short of the receiver', () => {
    expect(flightAt(msg({ receivedAt: 3000 }), 0, 1000)!.progress).toBeCloseTo(0.5);
    expect(flightAt(msg({ receivedAt: null, dropped: { at: 1000, reason: 'one-shot', direction: 'out' } }), 0, 10_000, { hold: true })).toMatchObject({ end: 'dropped-out', progress: 0.3 });
    expect(flightAt(msg({ receivedAt: null }), 0, 10_000, { hold: true })).toMatchObject({ end: 'unknown', progress: 0.5 });
  });

  it('places messages on the page clock in send order, catching up on late batches', () => {
    const clock = new FlightClock(100);
    expect(clock.place(5000, 20)).toBe(120);
    expect(clock.place(5050, 30)).toBe(170);
    // A batch 300 ms late: shown now, and later messages shift with it.
    expect(clock.place(5100, 520)).toBe(520);
    expect(clock.place(5110, 520)).toBe(530);
    // Very late (a half emitted after its hold): shown now, without shifting the rest.
    expect(clock.place(1000, 600)).toBe(600);
    expect(clock.place(5120, 600)).toBe(600);
  });

  it('summarises busy links by type and keeps quiet ones message by message', () => {
    const placed = [
      ...Array.from({ length: 30 }, (_, i) => ({ message: msg({ id: i, type: i % 2 ? 'App' : 'AppResp', from: i % 2 ? 'n1' : 'n2', to: i % 2 ? 'n2' : 'n1' }), start: 500 + i })),
      ...Array.from({ length: 20 }, (_, i) => ({ message: msg({ id: 100 + i, type: 'App', from: 'n1', to: 'n2' }), start: 600 + i })),
      { message: msg({ id: 200, type: 'Heartbeat', from: 'n1', to: 'n3' }), start: 700 },
      { message: msg({ id: 201, type: 'Heartbeat', from: 'n1', to: 'n3' }), start: -2000 },
    ];
    const rates = linkRates(placed, 1000);
    expect(rates.get('n1→n2')).toMatchObject({ perSec: 35, byType: [{ type: 'App', perSec: 35 }] });
    expect(rates.get('n1→n3')!.perSec).toBe(1);
    expect([...heavyLinks(rates)].sort()).toEqual(['n1→n2', 'n2→n1']);
    expect(describeRate(rates.get('n1→n2')!)).toBe('App 35/s');
  });

  it('flies between the cards’ edges, not under them', () => {
    const seg = visibleSegment({ x: 0, y: 0 }, { x: 400, y: 0 }, 80, 50);
    expect(seg.a).toEqual({ x: 80, y: 0 });
    expect(seg.b).toEqual({ x: 320, y: 0 });
    // Cards that nearly touch still leave a short visible stretch in the middle.
    const close = visibleSegment({ x: 0, y: 0 }, { x: 100, y: 0 }, 80, 50);
    expect(close.a.x).toBeCloseTo(45);
  });
});
