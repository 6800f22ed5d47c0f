// Changing who is in the running cluster from the console: add a node, promote a learner, remove a
// node, move the leader. Each call shows progress on its button and reports what it did, or its
// error sentence, as a notice.

import type { ConsoleApi } from '../../core/api/index.js';
import type { AddMemberRequest } from '../../core/api/membership.js';
import { errorSentence } from './format.js';
import type { NoticeStore } from './notices.svelte.js';

/** The first free ID of the form n<k>, for the add form's default. */
export function nextNodeId(ids: readonly string[]): string {
  for (let k = ids.length + 1; ; k++) if (!ids.includes(`n${k}`)) return `n${k}`;
}

export class MembersStore {
  /** Keys of calls in flight, e.g. "remove:n2" or "add", so their buttons show progress. */
  pending = $state.raw<ReadonlySet<string>>(new Set());

  constructor(
    private readonly api: ConsoleApi,
    private readonly notices: NoticeStore,
  ) {}

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  /** True while any membership change runs: Raft takes one at a time. */
  get busy(): boolean {
    return [...this.pending].some((k) => !k.startsWith('leader:'));
  }

  add(request: AddMemberRequest): Promise<boolean> {
    this.notices.info(`Adding ${request.id}: it joins as a learner and catches up${request.learner ? '' : ', then becomes a voter'}…`);
    return this.run('add', async () => {
      const result = await this.api.addNode(request);
      return `${request.id} joined as a ${result.role} (configuration change at index ${result.index}).`;
    });
  }

  promote(node: string): Promise<boolean> {
    return this.run(`promote:${node}`, async () => {
      const result = await this.api.promoteNode(node);
      return `${node} is now a voter (configuration change at index ${result.index}).`;
    });
  }

  remove(node: string): Promise<boolean> {
    return this.run(`remove:${node}`, async () => {
      const result = await this.api.removeNode(node);
      return `${node} was removed (configuration change at index ${result.index}); its data folder was set aside.`;
    });
  }

  makeLeader(node: string): Promise<boolean> {
    return this.run(`leader:${node}`, async () => {
      const moved = await this.api.transferLeader(node);
      return `${moved.leader} leads now (term ${moved.term}).`;
    });
  }

  private async run(key: string, call: () => Promise<string>): Promise<boolean> {
    if (this.pending.has(key)) return false;
    this.pending = new Set([...this.pending, key]);
    try {
      this.notices.info(await call());
      return true;
    } catch (error) {
      this.notices.error(errorSentence(error));
      return false;
    } finally {
      const pending = new Set(this.pending);
      pending.delete(key);
      this.pending = pending;
    }
  }
}
