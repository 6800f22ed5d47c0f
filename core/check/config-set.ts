// A set of search configurations that keeps only the undominated ones. A configuration (K, U, state)
// dominates (K, U', state) when U ⊆ U': it has linearized the same known operations, reached the same
// state, and has every unknown operation the other still has left (see search.ts for why that is
// at least as good).

import type { SearchState } from './observed-values.js';

export interface Config {
  /** Linearized operations of known outcome (bitset over known slots). */
  known: Uint32Array;
  /** Linearized operations of unknown outcome (bitset over unknown slots). */
  unknown: Uint32Array;
  state: SearchState;
  /** The state before the last operation, when that operation was of unknown outcome; else undefined. */
  beforeUnknown: SearchState | undefined;
  /** Positions in KeyModel.knownByCall / knownByReturn before which every operation is in `known`. */
  callFloor: number;
  returnFloor: number;
  /** Set when a dominating configuration replaced this one: it need not be explored any more. */
  superseded?: boolean;
}

export class ConfigSet {
  private readonly buckets = new Map<number, Config[]>();
  private count = 0;

  constructor(private readonly stateId: (state: SearchState) => number) {}

  get size(): number {
    return this.count;
  }

  /** Adds `config` unless an equal or dominating one is present, dropping those it dominates. */
  add(config: Config): boolean {
    const hash = this.hash(config);
    const bucket = this.buckets.get(hash);
    if (!bucket) {
      this.buckets.set(hash, [config]);
      this.count++;
      return true;
    }
    let kept = 0;
    for (const other of bucket) {
      if (other.state === config.state && sameWords(other.known, config.known)) {
        if (subsetOf(other.unknown, config.unknown)) return false;
        if (subsetOf(config.unknown, other.unknown)) {
          other.superseded = true;
          continue;
        }
      }
      bucket[kept++] = other;
    }
    this.count -= bucket.length - kept;
    bucket.length = kept;
    bucket.push(config);
    this.count++;
    return true;
  }

  values(): Config[] {
    return [...this.buckets.values()].flat();
  }

  private hash(config: Config): number {
    let h = Math.imul(this.stateId(config.state) + 1, 0x9e3779b1);
    for (const word of config.known) h = Math.imul(h ^ word, 0x01000193);
    return h | 0;
  }
}

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  for (let w = 0; w < a.length; w++) if (a[w] !== b[w]) return false;
  return true;
}

function subsetOf(a: Uint32Array, b: Uint32Array): boolean {
  for (let w = 0; w < a.length; w++) if ((a[w]! & ~b[w]!) !== 0) return false;
  return true;
}
