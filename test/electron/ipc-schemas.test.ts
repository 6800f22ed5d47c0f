import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ClusterDefaults, ClusterDefinition, NodeDefinition } from '../../core/api/cluster-definition.js';
import type { ExperimentOptions } from '../../core/api/experiments.js';
import type { Fault, NodeAction } from '../../core/api/faults.js';
import { CALL_METHODS } from '../../core/api/ws-protocol.js';
import { CALL_ARGUMENTS, clusterDefinitionSchema, faultSchema } from '../../electron/ipc-schemas.js';
import type { clusterDefaultsSchema, experimentOptionsSchema, nodeActionSchema, nodeDefinitionSchema } from '../../electron/ipc-schemas.js';
import { SAMPLE_DEFINITION } from './fake-service.js';

describe('IPC argument schemas', () => {
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
});
