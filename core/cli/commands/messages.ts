// `raftdesk messages DIR`: the Raft messages the nodes sent, received and dropped, merged from each
// node's message log (GET /v1/messages) in time order, one line each — an election or a catch-up
// read message by message. --follow keeps polling; --node and --type narrow it down.

import https from 'node:https';
import type { MessageRecord } from '../../api/messages.js';
import { loadClientCredentials, type Credentials } from '../../pki/credentials.js';
import { clientUrl } from '../../workspace/definition.js';
import { workspacePaths } from '../../workspace/paths.js';
import { cli } from '../../workspace/cli-name.js';
import { UserError } from '../../workspace/user-error.js';
import { loadDefinition } from '../../workspace/workspace.js';
import { CliExit, intOption, printJson, say } from '../output.js';

export interface MessagesOptions {
  node?: string;
  type?: string;
  last?: string;
  follow?: boolean;
  json?: boolean;
}


interface Batch {
  node: string;
  records: MessageRecord[];
  lost: number;
  next: number;
}

const POLL_MS = 200;

function fetchMessages(url: string, credentials: Credentials, after: number): Promise<Omit<Batch, 'node'>> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${url}/v1/messages?after=${after}&limit=8192`, { ca: credentials.ca, cert: credentials.cert, key: credentials.key, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        try {
          if (res.statusCode !== 200) throw new Error((JSON.parse(body) as { error?: string }).error ?? `HTTP ${res.statusCode}`);
          resolve(JSON.parse(body) as Omit<Batch, 'node'>);
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 3 s')));
    req.on('error', reject);
  });
}

function time(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** One line: when, who to whom (as seen by the node that logged it), the message and its fields. */
export function formatRecord(node: string, r: MessageRecord): string {
  const arrow = r.event === 'send' ? `${r.from} → ${r.to}` : r.event === 'receive' ? `${r.to} ← ${r.from}` : `${node} ✗ ${r.from === node ? r.to : r.from}`;
  const fields = [`term ${r.term}`];
  if (r.type === 'App' || r.type === 'Vote' || r.type === 'PreVote') fields.push(`index ${r.index}`, `log term ${r.logTerm}`);
  if (r.type === 'App') fields.push(`${r.entries} ${r.entries === 1 ? 'entry' : 'entries'}${r.entryBytes > 0 ? ` (${r.entryBytes} B)` : ''}`, `commit ${r.commit}`);
  if (r.type === 'Heartbeat') fields.push(`commit ${r.commit}`);
  if (r.type === 'AppResp') fields.push(r.reject ? `rejected, hint ${r.hint}` : `match ${r.index}`);
  if (r.type === 'VoteResp' || r.type === 'PreVoteResp') fields.push(r.reject ? 'rejected' : 'granted');
  const event = r.event === 'drop' ? `dropped (${r.reason}, ${r.direction === 'in' ? 'on arrival' : 'before sending'})` : r.event;
  return `${time(r.at)}  ${arrow.padEnd(14)}  ${r.type.padEnd(13)} ${fields.join(', ')}  · ${event}`;
}

export async function messagesCommand(dir: string, options: MessagesOptions): Promise<void> {
  const { definition } = await loadDefinition(dir);
  const credentials = await loadClientCredentials(workspacePaths(dir).pki).catch(() => {
    throw new UserError(`${dir} has no client certificate yet; start the cluster once with \`${cli(`up ${dir}`)}\`.`);
  });
  const nodes = definition.nodes.filter((n) => !options.node || n.id === options.node);
  if (nodes.length === 0) throw new CliExit(2, `There is no node "${options.node}"; the nodes are ${definition.nodes.map((n) => n.id).join(', ')}.`);
  const types = options.type ? new Set(options.type.split(',').map((t) => t.trim())) : null;
  const last = intOption('last', options.last, 50, 1, 100_000);
  const after = new Map(nodes.map((n) => [n.id, 0]));

  const poll = async (): Promise<{ node: string; record: MessageRecord }[]> => {
    const answers = await Promise.all(
      nodes.map(async (n) => {
        try {
          const batch = await fetchMessages(clientUrl(n), credentials, after.get(n.id)!);
          after.set(n.id, batch.next - 1);
          return batch.records.map((record) => ({ node: n.id, record }));
        } catch {
          return []; // A node that is down or paused has nothing to say right now.
        }
      }),
    );
    return answers
      .flat()
      .filter((x) => !types || types.has(x.record.type))
      .sort((a, b) => a.record.at - b.record.at);
  };

  const first = (await poll()).slice(-last);
  if (options.json && !options.follow) {
    printJson(first.map(({ node, record }) => ({ node, ...record })));
    return;
  }
  const print = (batch: { node: string; record: MessageRecord }[]) => {
    for (const { node, record } of batch) say(options.json ? JSON.stringify({ node, ...record }) : formatRecord(node, record));
  };
  if (first.length === 0 && !options.follow) say('No messages yet (is the cluster running?).');
  print(first);
  if (!options.follow) return;
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    print(await poll());
  }
}
