import { describe, expect, it, vi } from 'vitest';
import type { PushData, PushKind } from '../../electron/ipc-channels.js';
import { forwardPushes } from '../../electron/pushes.js';
import { fakeService, SAMPLE_STATE } from './fake-service.js';

describe('forwardPushes', () => {
  it('sends every kind of update, and the current state to a page that (re)loads', () => {
    const service = fakeService();
    const sent: Array<[PushKind, unknown]> = [];
    const pushes = forwardPushes(service, <K extends PushKind>(kind: K, data: PushData<K>) => sent.push([kind, data]));

    pushes.replayLatest();
    expect(sent).toEqual([['state', SAMPLE_STATE]]);
    sent.length = 0;

    service.listeners.state.forEach((l) => l(SAMPLE_STATE));
    service.listeners.state.forEach((l) => l({ ...SAMPLE_STATE, term: 5 }));
    service.listeners.metrics.forEach((l) => l({ at: 1, commitsPerSec: 10, p50Ms: 1, p99Ms: 3 }));
    service.listeners.nodeOutput.forEach((l) => l('n1', ['a']));
    service.listeners.experimentProgress.forEach((l) => l({ phase: 'running', elapsedSec: 1, durationSec: 10, ops: 3, faults: 0 }));
    service.listeners.event.forEach((l) => l({ seq: 1, at: 1, kind: 'leader-elected', node: 'n1', term: 5, message: 'n1 leads', details: {} }));
    vi.mocked(service.currentState).mockReturnValue({ ...SAMPLE_STATE, term: 5 });
    pushes.replayLatest();

    expect(sent.map(([kind]) => kind)).toEqual(['state', 'state', 'metrics', 'node-output', 'experiment-progress', 'event', 'state']);
    expect(sent[3]?.[1]).toEqual({ node: 'n1', lines: ['a'] });
    expect(sent[6]?.[1]).toMatchObject({ term: 5 });
  });

  it('unsubscribes from the service on stop', () => {
    const service = fakeService();
    const pushes = forwardPushes(service, () => undefined);
    expect(Object.values(service.listeners).every((list) => list.length === 1)).toBe(true);
    pushes.stop();
    expect(Object.values(service.listeners).every((list) => list.length === 0)).toBe(true);
  });
});
