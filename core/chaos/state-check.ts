// Every replica must end in the same state: after convergence, each node's state machine at the
// same applied index must have the same fingerprint. This covers what the log comparison cannot
// once logs are compacted: the state built from every entry ever applied, snapshots included.

import type { StateDigest } from '../api/cluster-state.js';

export interface StateVerdict {
  ok: boolean;
  /** One sentence. */
  detail: string;
}

export function compareStates(digests: readonly StateDigest[]): StateVerdict {
  if (digests.length === 0) return { ok: false, detail: 'No node answered with its state.' };
  const down = digests.find((d) => d.unavailable !== null || d.digest === null);
  if (down) return { ok: false, detail: `The state of ${down.id} could not be read: ${down.unavailable ?? 'no answer'}` };
  const [first, ...rest] = digests as (StateDigest & { digest: string })[];
  const behind = rest.find((d) => d.appliedIndex !== first!.appliedIndex);
  if (behind) {
    return {
      ok: false,
      detail: `The nodes stopped at different applied indexes (${digests.map((d) => `${d.id} ${d.appliedIndex}`).join(', ')}), so their states cannot be compared.`,
    };
  }
  const differing = rest.find((d) => d.digest !== first!.digest);
  if (differing) return { ok: false, detail: `${differing.id}'s state machine differs from ${first!.id}'s at index ${first!.appliedIndex}.` };
  return { ok: true, detail: `All ${digests.length} nodes hold the same state machine at index ${first!.appliedIndex} (SHA-256 ${first!.digest.slice(0, 12)}…).` };
}
