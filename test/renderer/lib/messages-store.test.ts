import { describe, expect, it } from 'vitest';
import type { LinkMessage } from '../../../core/api/index.js';
import { MessagesStore } from '../../../renderer/lib/messages.svelte.js';
import { FakeApi } from '../fake-api.js';

let nextId = 1;
const msg = (type: string, sentAt: number, over: Partial<LinkMessage> = {}): LinkMessage => ({
  id: nextId++, type, from: 'n1', to: 'n2', term: 2, index: 0, logTerm: 0, entries: 0, entryBytes: 0, bytes: 30, commit: 0, reject: false, hint: 0, snapshotIndex: 0,
  sentAt, receivedAt: sentAt + 1, dropped: null, ...over,
});

function setup() {
  const api = new FakeApi();
  const clock = { now: 0 };
  const store = new MessagesStore(api, () => clock.now);
  const off = store.connect();
  return { api, clock, store, off };
}

describe('messages store', () => {
  it('asks for messages while watched, and places each batch on the page clock', () => {
    const { api, store, clock } = setup();
    const stop = store.watch();
    expect(api.callsTo('subscribeMessages')).toHaveLength(1);
    api.pushMessages({ messages: [msg('Vote', 1000), msg('VoteResp', 1010)], lostRecords: 2 });
    expect(store.placed.map((p) => [p.message.type, p.start])).toEqual([
      ['Vote', 150],
      ['VoteResp', 160],
    ]);
    expect(store.lostRecords).toBe(2);
    // Long after, a new batch prunes what can no longer be on screen.
    clock.now = 10_000;
    api.pushMessages({ messages: [msg('App', 11_000)], lostRecords: 0 });
    expect(store.placed.map((p) => p.message.type)).toEqual(['App']);
    stop();
    expect(api.callsTo('unsubscribeMessages')).toHaveLength(1);
  });

  it('updates a message emitted again with its other half, where it is', () => {
    const { api, store } = setup();
    const m = msg('App', 1000, { receivedAt: null });
    api.pushMessages({ messages: [m], lostRecords: 0 });
    api.pushMessages({ messages: [{ ...m, receivedAt: 1002 }], lostRecords: 0 });
    expect(store.placed).toHaveLength(1);
    expect(store.placed[0]!.message.receivedAt).toBe(1002);
  });

  it('buffers while paused and steps one message at a time, passing over heartbeats', () => {
    const { api, store } = setup();
    store.pause();
    api.pushMessages({ messages: [msg('Heartbeat', 1), msg('PreVote', 2), msg('HeartbeatResp', 3), msg('Vote', 4)], lostRecords: 0 });
    expect(store.placed).toEqual([]);
    expect(store.queue).toHaveLength(4);
    expect(store.canStep).toBe(true);
    expect(store.step()).toBe(true);
    expect(store.stepped!.message.type).toBe('PreVote');
    expect(store.selected!.type).toBe('PreVote');
    expect(store.step()).toBe(true);
    expect(store.stepped!.message.type).toBe('Vote');
    expect(store.skipped).toBe(2);
    expect(store.step()).toBe(false);
    api.pushMessages({ messages: [msg('Heartbeat', 5)], lostRecords: 0 });
    // Only a heartbeat waits: nothing to step to while heartbeats are passed over.
    expect(store.canStep).toBe(false);
    store.skipHeartbeats = false;
    expect(store.canStep).toBe(true);
    store.step();
    expect(store.stepped!.message.type).toBe('Heartbeat');
    api.pushMessages({ messages: [msg('App', 6), msg('App', 7)], lostRecords: 0 });
    store.resume();
    expect(store.paused).toBe(false);
    expect(store.queue).toEqual([]);
    expect(store.skipped).toBe(4);
    api.pushMessages({ messages: [msg('App', 8)], lostRecords: 0 });
    expect(store.placed).toHaveLength(1);
  });

  it('says after a pause how many of its messages were never shown, and nothing when all were', () => {
    const { api, store } = setup();
    store.pause();
    api.pushMessages({ messages: [msg('Heartbeat', 1), msg('Vote', 2), msg('App', 3), msg('App', 4)], lostRecords: 0 });
    store.step();
    // The heartbeat passed over by the step and the two appends still waiting.
    store.resume();
    expect(store.unshownAfterPause).toBe(3);
    store.dismissUnshown();
    expect(store.unshownAfterPause).toBeNull();

    // A second pause counts only its own messages; one fully stepped through leaves nothing to say.
    store.pause();
    store.skipHeartbeats = false;
    api.pushMessages({ messages: [msg('Heartbeat', 5)], lostRecords: 0 });
    store.step();
    store.resume();
    expect(store.unshownAfterPause).toBeNull();
    store.pause();
    api.pushMessages({ messages: [msg('App', 6)], lostRecords: 0 });
    store.resume();
    expect(store.unshownAfterPause).toBe(1);
    store.pause();
    expect(store.unshownAfterPause).toBeNull();
  });
});
