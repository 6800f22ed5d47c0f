// The argument schema of every call that reaches the cluster from outside, defined once and checked
// on all three front doors: Electron IPC (electron/ipc.ts), the console's WebSocket
// (core/console/console-server.ts) and the supervisor's control socket (core/cluster/control.ts).
// A call whose arguments do not fit is refused with one sentence (argument-sentence.ts) before the
// service sees it, so a service never meets a null fault or an unknown action.
//
// The ConsoleApi schemas check shape only (types, finite numbers, bounded sizes): whether a
// definition makes sense is the service's validateDefinition, which answers with sentences the UI
// shows next to a field. Experiment options have no such second check, so their ranges are here.
//
// Invariant: each schema's output is assignable to the method's parameter tuple (checked below by the
// compiler), and the part schemas mirror the core/api types exactly (checked by type assertions in
// test/api/call-arguments.test.ts), so a change to core/api the schemas do not follow fails the type
// check instead of refusing calls at run time.
//
// Not re-exported from index.ts: the renderer imports core/api for types and must not bundle zod.

import { z } from 'zod';
import { argumentSentence } from './argument-sentence.js';
import type { ConsoleApi } from './console-api.js';
import { EXPERIMENT_LIMITS, NEMESES } from './experiments.js';
import { READ_CONSISTENCIES } from './reads.js';
import { CALL_METHODS, type CallMethod } from './ws-protocol.js';

/** Generous caps against a runaway caller; they are not product limits. */
const MAX_NAME = 256;
const MAX_PATH = 4096;
const MAX_TEXT = 1024 * 1024;
const MAX_NODES = 64;
const MAX_COUNT = 1_000_000;

const name = z.string().max(MAX_NAME);
const count = z.number().int().min(0).max(MAX_COUNT);
const finite = z.number();
/** A recorded run's folder name (its start time). */
const runId = z.string().min(1).max(MAX_NAME);
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
  minFreeDiskMb: finite,
  autoRestart: z.boolean(),
  allowRemoteHosts: z.boolean(),
  leaseReads: z.boolean().optional(),
  traceMaxMb: finite.optional(),
});

export const nodeDefinitionSchema = z.strictObject({
  id: name,
  host: name,
  peerPort: finite,
  clientPort: finite,
  heartbeatMs: finite.optional(),
  electionTimeoutMs: finite.optional(),
  storage: storage.optional(),
  joined: z.boolean().optional(),
  learner: z.boolean().optional(),
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

const limited = (field: keyof typeof EXPERIMENT_LIMITS) => z.number().int().min(EXPERIMENT_LIMITS[field].min).max(EXPERIMENT_LIMITS[field].max);

export const experimentOptionsSchema = z.strictObject({
  durationSec: limited('durationSec'),
  clients: limited('clients'),
  keys: limited('keys'),
  nemeses: z.array(z.enum(NEMESES)).max(16),
  intervalSec: limited('intervalSec'),
  seed: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  readConsistency: z.enum(READ_CONSISTENCIES).optional(),
});

/** A node to add to a running cluster (core/api/membership.ts); the supervisor checks the rest. */
export const addMemberRequestSchema = z.strictObject({
  id: name,
  host: name.optional(),
  peerPort: finite.optional(),
  clientPort: finite.optional(),
  heartbeatMs: finite.optional(),
  electionTimeoutMs: finite.optional(),
  learner: z.boolean().optional(),
});

type CallArguments = { [M in CallMethod]: z.ZodType<Parameters<ConsoleApi[M]>> };

/** One schema a ConsoleApi call: its arguments as a tuple. */
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
  addNode: z.tuple([addMemberRequestSchema]),
  removeNode: z.tuple([name]),
  promoteNode: z.tuple([name]),
  transferLeader: z.tuple([name.nullable()]),
  submitEntry: z.tuple([z.string().max(MAX_TEXT)]),
  putKey: z.tuple([z.string().max(MAX_TEXT), z.string().max(MAX_TEXT)]),
  getKey: z.tuple([z.string().max(MAX_TEXT), z.enum(READ_CONSISTENCIES).optional()]),
  readLogs: z.tuple([count, count.optional()]),
  readNodeOutput: z.tuple([name, count]),
  recentEvents: z.tuple([count]),
  listRuns: z.tuple([]),
  openRun: z.tuple([runId]),
  readRunMessages: z.tuple([runId, finite, finite, count]),
  runExperiment: z.tuple([experimentOptionsSchema]),
  cancelExperiment: z.tuple([]),
  subscribeMessages: z.tuple([]),
  unsubscribeMessages: z.tuple([]),
  setSlowMotion: z.tuple([z.number().int().min(1).max(100)]),
  dropMessages: z.tuple([name, name, z.number().int().min(0).max(10_000)]),
} satisfies CallArguments;


/** JSON carries an omitted trailing argument as null: the control socket accepts null for it. */
const omitted = <T extends z.ZodType>(schema: T) =>
  z
    .union([schema, z.null()])
    .optional()
    .transform((v) => v ?? undefined);

/** A client operation the console made, for the run's recording (core/api/traces.ts TraceClientOp). */
const traceClientOp = z.object({
  process: z.number().int().min(0),
  f: z.string().max(MAX_NAME),
  key: z.string().max(MAX_TEXT),
  value: z.string().max(MAX_TEXT),
  outcome: z.enum(['ok', 'fail', 'info', 'pending']),
  startAt: z.number().min(0),
  endAt: z.number().min(0).nullable(),
});

const eventDetails = z.record(z.string().max(MAX_NAME), z.union([z.string().max(MAX_TEXT), z.number(), z.boolean(), z.null()]));

/**
 * One schema a control-socket method (core/cluster/control.ts): what `raftdesk` commands and other
 * raftdesk processes may ask a running supervisor. The calls it shares with ConsoleApi use the same
 * schemas; a control method without a schema here cannot be served (the handler table is typed by it).
 */
export const CONTROL_ARGUMENTS = {
  ping: z.tuple([]),
  state: z.tuple([]),
  nodeAction: CALL_ARGUMENTS.nodeAction,
  applyFault: CALL_ARGUMENTS.applyFault,
  healAll: CALL_ARGUMENTS.healAll,
  setSlowMotion: CALL_ARGUMENTS.setSlowMotion,
  dropMessages: CALL_ARGUMENTS.dropMessages,
  recentEvents: CALL_ARGUMENTS.recentEvents,
  readLogs: z.tuple([count, omitted(count)]),
  recentMetrics: z.tuple([z.number().min(0)]),
  stateDigests: z.tuple([]),
  noteExperiment: z.tuple([z.string().max(MAX_TEXT), omitted(eventDetails)]),
  recordClientOp: z.tuple([traceClientOp]),
  waitForLeader: z.tuple([z.number().int().min(0).max(10 * 60_000)]),
  listMembers: z.tuple([]),
  addMember: z.tuple([addMemberRequestSchema]),
  promoteMember: z.tuple([name]),
  removeMember: z.tuple([name]),
  transferLeader: z.tuple([omitted(name)]),
  stop: z.tuple([]),
};

export type ControlMethod = keyof typeof CONTROL_ARGUMENTS;
export type ControlArguments<M extends ControlMethod> = z.output<(typeof CONTROL_ARGUMENTS)[M]>;

export type Checked<T> = { ok: true; args: T } | { ok: false; sentence: string };

function check<T>(schema: z.ZodType, method: string, args: unknown): Checked<T> {
  const parsed = schema.safeParse(args);
  return parsed.success ? { ok: true, args: parsed.data as T } : { ok: false, sentence: argumentSentence(method, args, parsed.error) };
}

/** A ConsoleApi call's arguments as its schema parses them, or the sentence that refuses them. */
export function checkCallArguments<M extends CallMethod>(method: M, args: unknown): Checked<Parameters<ConsoleApi[M]>> {
  // Sound because CALL_ARGUMENTS satisfies "schema output is assignable to the parameters".
  return check(CALL_ARGUMENTS[method], method, args);
}

/** A control method's arguments as its schema parses them, or the sentence that refuses them. */
export function checkControlArguments<M extends ControlMethod>(method: M, args: unknown): Checked<ControlArguments<M>> {
  return check(CONTROL_ARGUMENTS[method], method, args);
}

export function isCallMethod(method: unknown): method is CallMethod {
  return typeof method === 'string' && (CALL_METHODS as readonly string[]).includes(method);
}

export function isControlMethod(method: unknown): method is ControlMethod {
  return typeof method === 'string' && Object.hasOwn(CONTROL_ARGUMENTS, method);
}
