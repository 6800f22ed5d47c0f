import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ClusterDefaults, ClusterDefinition, NodeDefinition } from '../../core/api/cluster-definition.js';
import type { ExperimentOptions } from '../../core/api/experiments.js';
import type { Fault, NodeAction } from '../../core/api/faults.js';
import { CALL_METHODS } from '../../core/api/ws-protocol.js';
import { CALL_ARGUMENTS, CONTROL_ARGUMENTS, checkCallArguments, checkControlArguments, clusterDefinitionSchema, faultSchema } from '../../core/api/call-arguments.js';
import type { clusterDefaultsSchema, experimentOptionsSchema, nodeActionSchema, nodeDefinitionSchema } from '../../core/api/call-arguments.js';
import { SAMPLE_DEFINITION } from '../electron/fake-service.js';

const EXPERIMENT = { durationSec: 10, clients: 4, keys: 2, nemeses: ['kill'], intervalSec: 2, seed: 7 };

describe('call argument schemas', () => {
  it('mirror the core/api types exactly (checked by the type checker)', () => {
    expectTypeOf<z.infer<typeof clusterDefaultsSchema>>().toEqualTypeOf<ClusterDefaults>();
    expectTypeOf<z.infer<typeof nodeDefinitionSchema>>().toEqualTypeOf<NodeDefinition>();
    expectTypeOf<z.infer<typeof clusterDefinitionSchema>>().toEqualTypeOf<ClusterDefinition>();
    expectTypeOf<z.infer<typeof nodeActionSchema>>().toEqualTypeOf<NodeAction>();
    expectTypeOf<z.infer<typeof faultSchema>>().toEqualTypeOf<Fault>();
    expectTypeOf<z.infer<typeof experimentOptionsSchema>>().toEqualTypeOf<ExperimentOptions>();
  });

  it('cover every call method and nothing else', () => {
    expect(Object.keys(CALL_ARGUMENTS).sort()).toEqual([...CALL_METHODS].sort());
  });

  it('accept every fault kind and reject unknown keys in a definition', () => {
    const faults: Fault[] = [
      { kind: 'partition', groups: [['n1', 'n2'], ['n3']] },
      { kind: 'isolate', node: 'n2' },
      { kind: 'cut', from: 'n1', to: 'n3' },
      { kind: 'delay', node: 'n1', ms: 200, jitterMs: 50 },
      { kind: 'loss', node: 'n3', percent: 20 },
    ];
    for (const fault of faults) expect(faultSchema.safeParse(fault).success).toBe(true);
    expect(clusterDefinitionSchema.safeParse(SAMPLE_DEFINITION).success).toBe(true);
    expect(clusterDefinitionSchema.safeParse({ ...SAMPLE_DEFINITION, owner: 'x' }).success).toBe(false);
  });

  it('leave range checks to the service, so the UI gets its field-level sentences', () => {
    const outOfRange = { ...SAMPLE_DEFINITION, nodes: [{ id: 'n1', host: '127.0.0.1', peerPort: 99_999, clientPort: 0 }] };
    expect(clusterDefinitionSchema.safeParse(outOfRange).success).toBe(true);
  });

  it('share the schemas of the calls the control socket has in common with the console', () => {
    expect(CONTROL_ARGUMENTS.nodeAction).toBe(CALL_ARGUMENTS.nodeAction);
    expect(CONTROL_ARGUMENTS.applyFault).toBe(CALL_ARGUMENTS.applyFault);
    expect(CONTROL_ARGUMENTS.recentEvents).toBe(CALL_ARGUMENTS.recentEvents);
  });

  it('accept what JSON makes of an omitted trailing argument on the control socket', () => {
    expect(checkControlArguments('readLogs', [20, null])).toEqual({ ok: true, args: [20, undefined] });
    expect(checkControlArguments('readLogs', [20])).toEqual({ ok: true, args: [20, undefined] });
    expect(checkControlArguments('noteExperiment', ['started', null])).toEqual({ ok: true, args: ['started', undefined] });
  });
});

describe('the sentence that refuses a call', () => {
  const sentence = (method: Parameters<typeof checkCallArguments>[0], args: unknown) => {
    const checked = checkCallArguments(method, args);
    expect(checked.ok).toBe(false);
    return checked.ok ? '' : checked.sentence;
  };

  it.each([
    ['nodeAction', ['n1', 'explode'], 'The nodeAction request was refused: the action must be one of start, stop, restart, kill, pause, resume, not "explode".'],
    ['applyFault', [null], 'The applyFault request was refused: the fault must be an object, not null.'],
    ['applyFault', [{ kind: 'meteor' }], 'The applyFault request was refused: the kind in the fault must be one of partition, isolate, cut, delay, loss, not "meteor".'],
    ['applyFault', [{ kind: 'isolate', node: 'n1', extra: true }], 'The applyFault request was refused: the fault has a field it does not know: extra.'],
    ['runExperiment', [{ durationSec: -1 }], "The runExperiment request was refused: the duration (durationSec) in the experiment's options must be at least 1, not -1."],
    ['runExperiment', [{ ...EXPERIMENT, clients: 1.5 }], "The runExperiment request was refused: the number of clients in the experiment's options must be a whole number, not 1.5."],
    ['runExperiment', [{ ...EXPERIMENT, nemeses: ['kill', 'flood'] }], `The runExperiment request was refused: nemesis 2 in the experiment's options must be one of kill, pause, partition, delay, member, not "flood".`],
    ['saveDefinition', [{ ...SAMPLE_DEFINITION, nodes: [SAMPLE_DEFINITION.nodes[0], { id: 'n2', host: '127.0.0.1', peerPort: '7002', clientPort: 8002 }] }], 'The saveDefinition request was refused: the peer port of node 2 in the cluster definition must be a number, not "7002".'],
    ['saveDefinition', [{ ...SAMPLE_DEFINITION, nodes: [{ id: 'n1' }] }], 'The saveDefinition request was refused: the host of node 1 in the cluster definition is missing.'],
    ['readLogs', [Number.NaN], 'The readLogs request was refused: the number of entries must be a number, not NaN.'],
    ['putKey', ['k'], 'The putKey request was refused: it takes the key and the value; it got one argument.'],
    ['healAll', ['extra'], 'The healAll request was refused: it takes no arguments; it got one argument.'],
    ['openWorkspace', [''], 'The openWorkspace request was refused: the workspace folder must not be empty.'],
    ['getKey', 'k', 'The getKey request was refused: its arguments must be a list.'],
    ['getKey', ['k', 'eventual'], 'The getKey request was refused: the read consistency must be one of linearizable, lease, local, not "eventual".'],
  ] as const)('%s %j', (method, args, expected) => {
    expect(sentence(method, args)).toBe(expected);
  });

  it('never shows a schema path', () => {
    const text = sentence('saveDefinition', [{ ...SAMPLE_DEFINITION, defaults: { ...SAMPLE_DEFINITION.defaults, heartbeatMs: Infinity } }]);
    expect(text).toBe('The saveDefinition request was refused: the heartbeat interval (heartbeatMs) of the defaults in the cluster definition must be a number, not Infinity.');
    expect(text).not.toMatch(/\[\d\]|\.\d|nodes\./);
  });
});
