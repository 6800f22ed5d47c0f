// HTTP/1.1 pipelining: a client may send several requests on one connection before the first answer
// arrives. Node answers them in order but would run their handlers concurrently, so a GET sent after
// a PUT could be served before the PUT was proposed (its body is read asynchronously). RFC 9112
// §9.3.2 expects a connection's requests to take effect in order, so each HTTP/1.x connection runs
// one request at a time. HTTP/2 streams are concurrent by design and are not queued.

const tails = new WeakMap<object, Promise<void>>();

/** Runs task after every earlier task queued for the same connection has finished. */
export function inConnectionOrder(connection: object, task: () => Promise<void>): Promise<void> {
  const previous = tails.get(connection) ?? Promise.resolve();
  const next = previous.then(task, task);
  // The tail never rejects, so one failed request does not stop the next.
  tails.set(connection, next.catch(() => undefined));
  return next;
}
