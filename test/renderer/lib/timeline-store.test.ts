import { describe, expect, it } from 'vitest';
import { TimelineStore, mergeEvents } from '../../../renderer/lib/timeline.svelte.js';
import { FakeApi, ManualSchedule } from '../fake-api.js';
import { makeEvent } from '../fixtures.js';

describe('mergeEvents', () => {
  it('drops duplicates, orders by time then sequence, and keeps the newest up to the cap', () => {
    const a = [makeEvent(1), makeEvent(2)];
    const merged = mergeEvents(a, [makeEvent(2), makeEvent(4), makeEvent(3)], 3);
    expect(merged.map((e) => e.seq)).toEqual([2, 3, 4]);
  });

  it('returns the same array when nothing is new, so nothing re-renders', () => {
    const a = [makeEvent(1)];
    expect(mergeEvents(a, [makeEvent(1)], 10)).toBe(a);
  });
});

describe('TimelineStore', () => {
  it('loads recent events, then appends pushes once per frame, newest first for display', async () => {
    const api = new FakeApi();
    api.respond('recentEvents', () => [makeEvent(1), makeEvent(2)]);
    const frames = new ManualSchedule();
    const store = new TimelineStore(api, frames.schedule);
    store.connect();
    await store.load();
    api.pushEvent(makeEvent(3, { kind: 'fault', message: 'n2 killed' }));
    api.pushEvent(makeEvent(4));
    expect(store.events).toHaveLength(2);
    frames.flush();
    expect(store.newestFirst.map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    store.toggle(store.events[2]);
    expect(store.selectedKey).toBe(store.keyOf(makeEvent(3)));
    store.toggle(store.events[2]);
    expect(store.selectedKey).toBeNull();
  });
});
