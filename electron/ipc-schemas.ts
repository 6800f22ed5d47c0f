// The argument schema of every ConsoleApi call, checked in the main process before the service sees
// them. They check shape only (types, finite numbers, bounded sizes): whether a definition makes sense
// is the service's validateDefinition, which answers with sentences the UI can show next to a field.
//
// Invariant: each schema's output is assignable to the method's parameter tuple (checked below by the
// compiler), and the part schemas mirror the core/api types exactly (checked by type assertions in
// test/electron/ipc-schemas.test.ts), so a change to core/api the schemas do not follow fails the type
// check instead of rejecting calls at run time.

import { z } from 'zod';
import type { ConsoleApi } from '../core/api/console-api.js';
import type { CallMethod } from '../core/api/ws-protocol.js';

/** Generous caps against a runaway renderer; they are not product limits. */
const MAX_NAME = 256;
const MAX_PATH = 4096;
const MAX_TEXT = 1024 * 1024;
const MAX_NODES = 64;
const MAX_COUNT = 1_000_000;

const name = z.string().max(MAX_NAME);
const count = z.number().int().min(0).max(MAX_COUNT);
const finite = z.number();
const storage = z.enum(['disk', 'memory']);

export const clusterDefaultsSchema = z.strictObject({
  heartbeatMs: finite,
  electionTimeoutMs: finite,
  storage,
  fsync: z.boolean(),
  snapshotEntries: finite,
  maxInflightMsgs: finite,
  maxMsgBytes: finite,
  preVote: z.boolean(),
  checkQuorum: z.boolean(),
  leaseReads: z.boolean().optional(),
});

export const nodeDefinitionSchema = z.strictObject({
  id: name,
  host: name,
  peerPort: finite,
  clientPort: finite,
  heartbeatMs: finite.optional(),
  electionTimeoutMs: finite.optional(),
  storage: storage.optional(),
});

export const clusterDefinitionSchema = z.strictObject({
  name,
  defaults: clusterDefaultsSchema,
  nodes: z.array(nodeDefinitionSchema).max(MAX_NODES),
});

export const nodeActionSchema = z.enum(['start', 'stop', 'restart', 'kill', 'pause', 'resume']);

export const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('partition'), groups: z.array(z.array(name).max(MAX_NODES)).max(MAX_NODES) }),
  z.strictObject({ kind: z.literal('isolate'), node: name }),
  z.strictObject({ kind: z.literal('cut'), from: name, to: name }),
  z.strictObject({ kind: z.literal('delay'), node: name, ms: finite, jitterMs: finite }),
  z.strictObject({ kind: z.literal('loss'), node: name, percent: finite }),
]);

export const experimentOptionsSchema = z.strictObject({
  durationSec: finite,
  clients: count,
  keys: count,
  nemeses: z.array(z.enum(['kill', 'pause', 'partition', 'delay'])).max(16),
  intervalSec: finite,
  seed: finite,
  readConsistency: z.enum(['linearizable', 'lease', 'local']).optional(),
});

type CallArguments = { [M in CallMethod]: z.ZodType<Parameters<ConsoleApi[M]>> };

export const CALL_ARGUMENTS = {
  listWorkspaces: z.tuple([]),
  createWorkspace: z.tuple([name, clusterDefinitionSchema.optional()]),
  openWorkspace: z.tuple([z.string().min(1).max(MAX_PATH)]),
  currentDefinition: z.tuple([]),
  saveDefinition: z.tuple([clusterDefinitionSchema]),
  validateDefinition: z.tuple([clusterDefinitionSchema]),
  startCluster: z.tuple([]),
  stopCluster: z.tuple([]),
  nodeAction: z.tuple([name, nodeActionSchema]),
  applyFault: z.tuple([faultSchema]),
  healAll: z.tuple([]),
  submitEntry: z.tuple([z.string().max(MAX_TEXT)]),
  putKey: z.tuple([z.string().max(MAX_TEXT), z.string().max(MAX_TEXT)]),
  getKey: z.tuple([z.string().max(MAX_TEXT)]),
  readLogs: z.tuple([count, count.optional()]),
  readNodeOutput: z.tuple([name, count]),
  recentEvents: z.tuple([count]),
  runExperiment: z.tuple([experimentOptionsSchema]),
  cancelExperiment: z.tuple([]),
} satisfies CallArguments;
