// Questions the supervisor asks every node over IPC (its log, its state-machine digest), matched to
// the answers by request ID. A node that is down, paused or too slow gets an "unavailable" answer
// instead, so that one node never holds up the view of the others.

import type { SupervisorToNode } from '../node/ipc-protocol.js';
import type { NodeProcess } from './node-process.js';

export interface NodeQuestion<A, R> {
  timeoutMs: number;
  request(requestId: number): SupervisorToNode;
  answered(node: NodeProcess, answer: A): R;
  unavailable(node: NodeProcess, why: string): R;
}

export class NodeRequests {
  private nextRequestId = 1;
  private readonly pending = new Map<number, (answer: unknown) => void>();

  /** Asks each node the same question; resolves with one result a node, in the order given. */
  askEach<A, R>(nodes: readonly NodeProcess[], question: NodeQuestion<A, R>): Promise<R[]> {
    return Promise.all(nodes.map((node) => this.ask(node, question)));
  }

  /** Delivers a node's answer to whoever asked; answers nobody waits for (any more) are dropped. */
  answer(requestId: number, answer: unknown): void {
    this.pending.get(requestId)?.(answer);
    this.pending.delete(requestId);
  }

  private ask<A, R>(node: NodeProcess, question: NodeQuestion<A, R>): Promise<R> {
    if (!node.running) return Promise.resolve(question.unavailable(node, `${node.id} is not running.`));
    if (node.state === 'paused') return Promise.resolve(question.unavailable(node, `${node.id} is paused.`));
    const requestId = this.nextRequestId++;
    return new Promise<R>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve(question.unavailable(node, `${node.id} did not answer in time.`));
      }, question.timeoutMs);
      this.pending.set(requestId, (answer) => {
        clearTimeout(timer);
        resolve(question.answered(node, answer as A));
      });
      node.send(question.request(requestId));
    });
  }
}
