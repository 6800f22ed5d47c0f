// How a read is served (GET /v1/kv/{key}?consistency=…), shared by the node, the client library,
// the CLI, chaos experiments and the console.
//
// - linearizable (default): ReadIndex — the leader confirms its commit index with a heartbeat round
//   to a quorum; any node answers once it has applied that index. No log entry.
// - lease: the leader may skip the round while it holds a lease (cluster.json defaults.leaseReads);
//   linearizable only while clocks behave (see that setting).
// - local: the answering node's state as it is, possibly stale.
export type ReadConsistency = 'linearizable' | 'lease' | 'local';

export const READ_CONSISTENCIES: readonly ReadConsistency[] = ['linearizable', 'lease', 'local'];
