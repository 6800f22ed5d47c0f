// What can go wrong with a client's request, as the client API reports it: a code and one sentence.

import type { ClientErrorCode } from '../api/results.js';

export class ClientRequestError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly httpStatus: number,
    /** For not-leader: the leader's ID, so the API can redirect. */
    readonly leader: string | null = null,
    /** More fields for the answer's body (an absent key's read path). */
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ClientRequestError';
  }
}

export const notLeader = (leader: string) =>
  new ClientRequestError('not-leader', `This node is not the leader; ${leader} is.`, 307, leader);

export const noLeader = () =>
  new ClientRequestError('no-leader', 'No leader is elected right now; retry in a moment.', 503);

export const noQuorum = () =>
  new ClientRequestError('unavailable', 'The leader cannot reach a majority of the cluster, so the write cannot commit; heal the partition or restart nodes.', 503);

export const overloaded = () =>
  new ClientRequestError('unavailable', 'The leader has too many uncommitted writes; retry in a moment.', 503);

export const timedOut = (ms: number) =>
  new ClientRequestError('timeout', `The operation was not confirmed within ${ms} ms; it may or may not have taken effect.`, 504);

export const lost = () =>
  new ClientRequestError('unavailable', 'Leadership changed before the operation committed, and it was not applied; retry it.', 503);

export const stopping = () =>
  new ClientRequestError('timeout', 'The node stopped before the operation was confirmed; it may or may not have taken effect.', 504);

export const badRequest = (message: string) => new ClientRequestError('bad-request', message, 400);
