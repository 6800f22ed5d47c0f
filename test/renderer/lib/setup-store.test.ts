import { describe, expect, it } from 'vitest';
import type { ClusterDefinition } from '../../../core/api/index.js';
import { SetupStore, type SetupTimers } from '../../../renderer/lib/setup.svelte.js';
import { FakeApi } from '../fake-api.js';

/** Timers the test fires by hand, to see debouncing without waiting. */
class ManualTimers implements SetupTimers {
  private next = 1;
  readonly live = new Map<number, () => void>();
  set = (run: () => void): unknown => {
    const id = this.next++;
    this.live.set(id, run);
    return id;
  };
  clear = (timer: unknown): void => {
    this.live.delete(timer as number);
  };
  fireAll(): void {
    const runs = [...this.live.values()];
    this.live.clear();
    for (const run of runs) run();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function loadedStore() {
  const api = new FakeApi();
  const timers = new ManualTimers();
  const store = new SetupStore(api, 300, timers);
  await store.load();
  timers.fireAll();
  await settle();
  api.calls.length = 0;
  return { api, timers, store };
}

describe('SetupStore', () => {
  it('validates once after a burst of edits, with the edited definition', async () => {
    const { api, timers, store } = await loadedStore();
    store.setNodeField(0, 'peerPort', '7');
    store.setNodeField(0, 'peerPort', '70');
    store.setNodeField(0, 'peerPort', '7010');
    expect(timers.live.size).toBe(1);
    timers.fireAll();
    await settle();
    const calls = api.callsTo('validateDefinition');
    expect(calls).toHaveLength(1);
    expect((calls[0][0] as ClusterDefinition).nodes[0].peerPort).toBe(7010);
  });

  it('shows the validator’s sentence at its path, and drops answers to older drafts', async () => {
    const { api, timers, store } = await loadedStore();
    let answer: (issues: { path: string; severity: 'error'; message: string }[]) => void = () => {};
    api.respond('validateDefinition', () => new Promise((resolve) => (answer = resolve)));
    store.setNodeField(1, 'peerPort', '7001');
    timers.fireAll();
    const stale = answer;
    store.setNodeField(1, 'peerPort', '7002');
    timers.fireAll();
    const fresh = answer;
    stale([{ path: 'nodes[1].peerPort', severity: 'error', message: 'Peer port 7001 is used by n1; choose another.' }]);
    await settle();
    expect(store.issues.byPath.size).toBe(0);
    fresh([{ path: 'nodes[1].host', severity: 'error', message: 'Host must be 127.0.0.1 or localhost.' }]);
    await settle();
    expect(store.issues.byPath.get('nodes[1].host')?.[0].message).toBe('Host must be 127.0.0.1 or localhost.');
    expect(store.errorCount).toBe(1);
  });

  it('saves, and starts only when the saved definition has no errors', async () => {
    const { api, store } = await loadedStore();
    api.respond('saveDefinition', () => [{ path: 'nodes[0].clientPort', severity: 'error', message: 'Port 8001 is already in use; choose another.' }]);
    expect(await store.start()).toBe(false);
    expect(api.callsTo('startCluster')).toHaveLength(0);
    expect(store.issues.byPath.get('nodes[0].clientPort')?.[0].message).toBe('Port 8001 is already in use; choose another.');

    api.respond('saveDefinition', () => [{ path: 'defaults.fsync', severity: 'warning', message: 'fsync off can lose acknowledged writes on power loss.' }]);
    expect(await store.start()).toBe(true);
    expect(api.callsTo('startCluster')).toHaveLength(1);
  });

  it('does not save while a required number is empty', async () => {
    const { api, store } = await loadedStore();
    store.setNodeField(2, 'clientPort', '');
    expect(await store.start()).toBe(false);
    expect(api.callsTo('saveDefinition')).toHaveLength(0);
    expect(store.issues.byPath.get('nodes[2].clientPort')?.[0].message).toBe('Client port is empty; enter a number.');
  });

  it('shows a failed start as one sentence', async () => {
    const { api, store } = await loadedStore();
    api.fail('startCluster', 'The cluster is already running; stop it first.');
    expect(await store.start()).toBe(false);
    expect(store.error).toBe('The cluster is already running; stop it first.');
    expect(store.phase).toBe('idle');
  });
});
