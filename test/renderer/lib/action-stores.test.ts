import { describe, expect, it } from 'vitest';
import { ExperimentStore } from '../../../renderer/lib/experiments.svelte.js';
import { FaultsStore } from '../../../renderer/lib/faults.svelte.js';
import { NoticeStore } from '../../../renderer/lib/notices.svelte.js';
import { SubmitStore } from '../../../renderer/lib/submit.svelte.js';
import { FakeApi } from '../fake-api.js';

describe('SubmitStore', () => {
  it('sends key=value as a put, get key as a read, anything else as an entry', async () => {
    const api = new FakeApi();
    const store = new SubmitStore(api);
    store.text = 'x=4';
    await store.submit();
    store.text = 'get x';
    await store.submit();
    store.text = 'hello raft';
    await store.submit();
    expect(api.calls.map((c) => [c.method, c.args])).toEqual([
      ['putKey', ['x', '4']],
      ['getKey', ['x']],
      ['submitEntry', ['hello raft']],
    ]);
    expect(store.results.map((r) => r.summary)).toEqual([
      'Committed at index 11, term 2, via n1 in 3.2 ms.',
      'x is "4": linearizable read (read index 12, applied 12) on n1, in 1.5 ms.',
      'Committed at index 12, term 2, via n1 in 4.5 ms.',
    ]);
    expect(store.text).toBe('');
  });

  it('keeps the text and shows the failure sentence when the write fails or the call rejects', async () => {
    const api = new FakeApi();
    api.respond('putKey', () => ({ ok: false, code: 'no-leader', error: 'There is no leader right now; try again in a moment.' }));
    const store = new SubmitStore(api);
    store.text = 'x=4';
    await store.submit();
    expect(store.latest).toMatchObject({ ok: false, summary: 'There is no leader right now; try again in a moment.' });
    expect(store.text).toBe('x=4');
    api.fail('submitEntry', 'The write timed out after 5 s; the cluster may still commit it.');
    store.text = 'note';
    await store.submit();
    expect(store.latest?.summary).toBe('The write timed out after 5 s; the cluster may still commit it.');
  });

  it('sends nothing for an empty box', async () => {
    const api = new FakeApi();
    const store = new SubmitStore(api);
    store.text = '   ';
    await store.submit();
    expect(api.calls).toEqual([]);
  });
});

describe('FaultsStore', () => {
  it('calls the API with the right arguments and reports the outcome as a notice', async () => {
    const api = new FakeApi();
    const notices = new NoticeStore(5000, () => 0);
    const faults = new FaultsStore(api, notices);
    await faults.nodeAction('n2', 'kill');
    expect(notices.notices.map((n) => [n.kind, n.text])).toEqual([['info', 'Killed n2.']]);
    await faults.apply({ kind: 'delay', node: 'n3', ms: 200, jitterMs: 50 });
    api.fail('healAll', 'The cluster is not running; start it first.');
    await faults.healAll();
    expect(api.calls.map((c) => [c.method, c.args])).toEqual([
      ['nodeAction', ['n2', 'kill']],
      ['applyFault', [{ kind: 'delay', node: 'n3', ms: 200, jitterMs: 50 }]],
      ['healAll', []],
    ]);
    expect(notices.notices.map((n) => [n.kind, n.text])).toEqual([
      ['info', 'Delaying n3 by 200 ± 50 ms.'],
      ['error', 'The cluster is not running; start it first.'],
    ]);
  });

  it('builds a partition from the groups nodes were placed or picked into', async () => {
    const api = new FakeApi();
    const faults = new FaultsStore(api, new NoticeStore(5000, () => 0));
    faults.place('n1', 'A');
    expect(faults.canPartition).toBe(false);
    faults.togglePicked('n2');
    faults.togglePicked('n3');
    faults.placePicked('B');
    faults.place('n4', 'A');
    expect(faults.partition).toEqual([
      ['n1', 'n4'],
      ['n2', 'n3'],
    ]);
    await faults.applyPartition();
    expect(api.callsTo('applyFault')).toEqual([[{ kind: 'partition', groups: [['n1', 'n4'], ['n2', 'n3']] }]]);
  });
});

describe('ExperimentStore', () => {
  it('runs with the chosen options, tracks progress, and keeps the report', async () => {
    const api = new FakeApi();
    const store = new ExperimentStore(api);
    store.connect();
    store.toggleNemesis('kill');
    store.toggleNemesis('pause');
    store.set('durationSec', 60);
    api.pushProgress({ phase: 'running', elapsedSec: 15, durationSec: 60, ops: 100, faults: 2 });
    expect(store.fraction).toBe(0.25);
    await store.run();
    expect(api.callsTo('runExperiment')[0][0]).toMatchObject({ nemeses: ['partition', 'pause'], durationSec: 60 });
    expect(store.report?.ok).toBe(true);
    expect(store.running).toBe(false);
  });
});
