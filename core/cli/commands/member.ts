// `raftdesk member list|add|promote|remove DIR …`: change who is in a running cluster. The detached
// supervisor (reached through its control socket) owns processes, certificates and cluster.json;
// the leader makes each change a committed configuration entry.

import type { MemberChangeResult, MemberInfo } from '../../api/membership.js';
import { NoSupervisorError, callControl } from '../../cluster/control.js';
import { CliExit, printJson, say } from '../output.js';

/** Adding a node waits for it to catch up, which on a long log takes a while. */
const ADD_TIMEOUT_MS = 10 * 60_000;
const CHANGE_TIMEOUT_MS = 60_000;

async function control(dir: string, method: string, args: unknown[], timeoutMs: number): Promise<unknown> {
  try {
    return await callControl(dir, method, args, timeoutMs);
  } catch (e) {
    if (e instanceof NoSupervisorError) throw new CliExit(1, `The cluster in ${dir} is not running; start it with \`raftdesk up ${dir} --detach\` first.`);
    throw e;
  }
}

function port(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliExit(2, `--${what} must be a port number between 1 and 65535.`);
  return n;
}

export async function memberListCommand(dir: string, options: { json?: boolean }): Promise<void> {
  const members = (await control(dir, 'listMembers', [], CHANGE_TIMEOUT_MS)) as MemberInfo[];
  if (options.json) {
    printJson(members);
    return;
  }
  const rows = members.map((m) => [m.id, m.address, m.voter ? 'voter' : 'learner', m.match === null ? '-' : String(m.match), m.state]);
  const headers = ['ID', 'ADDRESS', 'ROLE', 'MATCH', 'STATE'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  say(line(headers));
  for (const r of rows) say(line(r));
}

export async function memberAddCommand(
  dir: string,
  id: string,
  options: { host?: string; peerPort?: string; clientPort?: string; heartbeat?: string; election?: string; learner?: boolean; json?: boolean },
): Promise<void> {
  const request = {
    id,
    ...(options.host ? { host: options.host } : {}),
    ...(options.peerPort ? { peerPort: port(options.peerPort, 'peer-port') } : {}),
    ...(options.clientPort ? { clientPort: port(options.clientPort, 'client-port') } : {}),
    ...(options.heartbeat ? { heartbeatMs: Number(options.heartbeat) } : {}),
    ...(options.election ? { electionTimeoutMs: Number(options.election) } : {}),
    ...(options.learner ? { learner: true } : {}),
  };
  if (!options.json) say(`Adding ${id}${options.learner ? ' as a learner' : ''}; it catches up as a learner${options.learner ? '' : ', then becomes a voter'}…`);
  const result = (await control(dir, 'addMember', [request], ADD_TIMEOUT_MS)) as MemberChangeResult;
  if (options.json) printJson(result);
  else say(`${id} is ${result.role === 'voter' ? 'a voter' : 'a learner'} (configuration change at index ${result.index}, term ${result.term}).`);
}

export async function memberPromoteCommand(dir: string, id: string, options: { json?: boolean }): Promise<void> {
  const result = (await control(dir, 'promoteMember', [id], CHANGE_TIMEOUT_MS)) as MemberChangeResult;
  if (options.json) printJson(result);
  else say(`${id} is a voter (configuration change at index ${result.index}, term ${result.term}).`);
}

export async function memberRemoveCommand(dir: string, id: string, options: { json?: boolean }): Promise<void> {
  const result = (await control(dir, 'removeMember', [id], CHANGE_TIMEOUT_MS)) as MemberChangeResult;
  if (options.json) printJson(result);
  else say(`${id} was removed (configuration change at index ${result.index}, term ${result.term}); its process stopped and its data folder was set aside.`);
}
