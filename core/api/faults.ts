// Faults the operator can inject. Process faults are real signals; network faults are applied by
// each node's transport on the supervisor's command.

export type NodeAction = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'resume';

export type Fault =
  /** Nodes in different groups cannot talk; nodes in no group keep all their links. */
  | { kind: 'partition'; groups: string[][] }
  /** Cut a node from every other node, both ways. */
  | { kind: 'isolate'; node: string }
  /** Drop traffic from → to only (one-way). */
  | { kind: 'cut'; from: string; to: string }
  /** Delay every message the node sends by ms ± jitterMs. */
  | { kind: 'delay'; node: string; ms: number; jitterMs: number }
  /** Drop this percentage of the messages the node sends. */
  | { kind: 'loss'; node: string; percent: number };
