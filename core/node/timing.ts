// Raft counts time in ticks; a node turns its configured milliseconds into a tick length and counts.
// Ticks of at most 10 ms keep the randomized election timeout fine-grained (a 1 s timeout becomes
// 100 ticks, so two followers rarely time out in the same tick) without a busy timer.

export interface TickSettings {
  tickMs: number;
  heartbeatTicks: number;
  electionTicks: number;
}

export function tickSettings(heartbeatMs: number, electionTimeoutMs: number): TickSettings {
  const tickMs = Math.max(1, Math.min(10, Math.floor(heartbeatMs / 2)));
  const heartbeatTicks = Math.max(1, Math.round(heartbeatMs / tickMs));
  const electionTicks = Math.max(heartbeatTicks + 1, Math.round(electionTimeoutMs / tickMs));
  return { tickMs, heartbeatTicks, electionTicks };
}
