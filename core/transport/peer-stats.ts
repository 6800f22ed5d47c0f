// What the transport counts per peer (the supervisor shows it as link activity).

export interface PeerStats {
  /** Messages written to the connection to this peer. */
  sent: number;
  /** Messages from this peer handed to onMessages. */
  received: number;
  /** Messages to or from this peer discarded: queue full, faults, unencodable or misaddressed. */
  dropped: number;
}

export type { Log, LogLevel } from '../api/log.js';

/** One short phrase for a socket or TLS error, stable enough to deduplicate log lines by. */
export function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string' && err.code.length > 0) return `${err.code}${err.message ? ` (${err.message})` : ''}`;
  return err instanceof Error ? err.message : String(e);
}
