// Turns the first problem a schema found in a call's arguments into one sentence in the operator's
// words: "the action must be one of start, stop, …, not "explode"", "node 2's peer port must be a
// number" — never a schema path such as nodes[1].peerPort, never a stack.

import type { z } from 'zod';

/** What each argument of a call is, in words, by method; an argument not listed is "argument N". */
const ARGUMENTS: Record<string, readonly string[]> = {
  createWorkspace: ['the workspace name', 'the cluster definition'],
  openWorkspace: ['the workspace folder'],
  saveDefinition: ['the cluster definition'],
  validateDefinition: ['the cluster definition'],
  nodeAction: ['the node ID', 'the action'],
  applyFault: ['the fault'],
  setSlowMotion: ['the slow-motion factor'],
  dropMessages: ['the sending node', 'the receiving node', 'the number of messages'],
  submitEntry: ['the entry'],
  putKey: ['the key', 'the value'],
  getKey: ['the key', 'the read consistency'],
  readLogs: ['the number of entries', 'the first index'],
  readNodeOutput: ['the node ID', 'the number of lines'],
  recentEvents: ['the number of events'],
  openRun: ['the run'],
  readRunMessages: ['the run', "the window's start", "the window's end", 'the number of messages'],
  runExperiment: ["the experiment's options"],
  recentMetrics: ['the time to read metrics since'],
  noteExperiment: ['the note', "the note's details"],
  recordClientOp: ['the client operation'],
  waitForLeader: ['the time to wait'],
  addMember: ['the new member'],
  promoteMember: ['the node ID'],
  removeMember: ['the node ID'],
};

/** Field names in words. */
const FIELDS: Record<string, string> = {
  name: 'name',
  defaults: 'defaults',
  nodes: 'nodes',
  id: 'ID',
  host: 'host',
  peerPort: 'peer port',
  clientPort: 'client port',
  heartbeatMs: 'heartbeat interval (heartbeatMs)',
  electionTimeoutMs: 'election timeout (electionTimeoutMs)',
  storage: 'storage',
  fsync: 'fsync setting',
  snapshotEntries: 'snapshot threshold (snapshotEntries)',
  maxInflightMsgs: 'in-flight message limit (maxInflightMsgs)',
  maxMsgBytes: 'message size limit (maxMsgBytes)',
  preVote: 'pre-vote setting',
  checkQuorum: 'check-quorum setting',
  kind: 'kind',
  groups: 'groups',
  node: 'node',
  from: '"from" node',
  to: '"to" node',
  ms: 'delay (ms)',
  jitterMs: 'jitter (jitterMs)',
  percent: 'loss percentage',
  durationSec: 'duration (durationSec)',
  clients: 'number of clients',
  keys: 'number of keys',
  nemeses: 'nemeses',
  intervalSec: 'interval between faults (intervalSec)',
  seed: 'seed',
  learner: 'learner setting',
};

/** What an element of a list is called, by the list's field. */
const ELEMENTS: Record<string, string> = { nodes: 'node', groups: 'group', nemeses: 'nemesis' };

/** "the peer port of node 2 in the cluster definition", from the issue's path. */
function where(method: string, path: readonly PropertyKey[]): string {
  const [position, ...inside] = path;
  const argument = ARGUMENTS[method]?.[position as number] ?? `argument ${(position as number) + 1}`;
  // Fields by their words; a list's element as "node 2" in place of the list's name.
  const steps: string[] = [];
  for (const [i, step] of inside.entries()) {
    const list = inside[i - 1];
    const element = typeof step === 'number' && typeof list === 'string' ? ELEMENTS[list] : undefined;
    if (element) steps[steps.length - 1] = `${element} ${(step as number) + 1}`;
    else if (typeof step === 'number') steps.push(`item ${step + 1}`);
    else steps.push(`the ${FIELDS[String(step)] ?? `field "${String(step)}"`}`);
  }
  return steps.length === 0 ? argument : `${steps.reverse().join(' of ')} in ${argument}`;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'a list' : `an ${typeof value}`;
}

function valueAt(args: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = args;
  for (const step of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[step] : undefined;
  return v;
}

const A_TYPE: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  tuple: 'a list',
};

function problem(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is missing';
      return `must be ${A_TYPE[issue.expected] ?? issue.expected}, not ${shown(value)}`;
    case 'too_small':
      if (issue.origin === 'array') return issue.path.length === 0 ? 'is too short' : `needs at least ${String(issue.minimum)}`;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters long`;
      return `must be at least ${String(issue.minimum)}, not ${shown(value)}`;
    case 'too_big':
      if (issue.origin === 'array') return issue.path.length === 0 ? 'is too long' : `may have at most ${String(issue.maximum)}`;
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters long`;
      return `must be at most ${String(issue.maximum)}, not ${shown(value)}`;
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? shown(issue.values[0]) : `one of ${issue.values.map((v) => String(v)).join(', ')}`}, not ${shown(value)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return options ? `must be one of ${options.map((v) => String(v)).join(', ')}, not ${shown(value)}` : 'has the wrong shape';
    }
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} it does not know: ${issue.keys.join(', ')}`;
    default:
      return 'is not valid';
  }
}

function inWords(list: readonly string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)!}`;
}

/** The sentence for a call refused by its schema; method is the call's name, args what was sent. */
export function argumentSentence(method: string, args: unknown, error: z.ZodError): string {
  const refused = `The ${method} request was refused:`;
  const issue = error.issues[0];
  if (!issue) return `${refused} its arguments are not valid.`;
  if (issue.path.length === 0) {
    if (!Array.isArray(args)) return `${refused} its arguments must be a list.`;
    const expected = ARGUMENTS[method] ?? [];
    return `${refused} it takes ${expected.length === 0 ? 'no arguments' : inWords(expected)}; it got ${args.length === 0 ? 'none' : args.length === 1 ? 'one argument' : `${args.length} arguments`}.`;
  }
  return `${refused} ${where(method, issue.path)} ${problem(issue, valueAt(args, issue.path))}.`;
}
