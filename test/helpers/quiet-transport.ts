// Just enough of a peer transport for a NodeRuntime that never sends for real (tests that drive the
// runtime by hand). One copy, so that a method the runtime starts to call is added once: a cast
// hides a missing method until the runtime calls it (dropsLeft went missing in two copies).

import type { PeerTransport } from '../../core/transport/peer-transport.js';

export function quietTransport(): PeerTransport {
  const transport: Partial<Record<keyof PeerTransport, unknown>> = {
    start: async () => {},
    send: () => {},
    close: async () => {},
    setFaults: () => {},
    setPeers: async () => {},
    stats: () => [],
    dropsLeft: () => ({}),
  };
  return transport as unknown as PeerTransport;
}
