// The memo of the Wing–Gong / Lowe search, with dominance. A configuration is (K, U, state): K the
// linearized operations of known outcome, U those of unknown outcome. Lowe's memo skips a
// configuration seen before; here one is also skipped when some recorded (K, U', state) has U' ⊆ U.
// That one did no worse: every completion from (K, U, state) also works from (K, U', state), whose
// extra unplaced operations can go last (unknown outcome: "never took effect"). See search.ts.
// Bitsets are packed one after another in growable arenas, to keep millions of entries cheap.

const NO_ENTRY = -1;
const INITIAL_ENTRIES = 1024;

export class LinearizationCache {
  private known: Uint32Array;
  private unknown: Uint32Array;
  private states: Int32Array;
  private chain: Int32Array;
  private count = 0;
  /** hash of (K, state) → the newest entry with that hash; older ones follow `chain`. */
  private readonly heads = new Map<number, number>();

  constructor(
    /** 32-bit words per K bitset and per U bitset. */
    private readonly knownWords: number,
    private readonly unknownWords: number,
    /** add() reports 'full' rather than grow the arenas beyond this. */
    private readonly maxBytes: number,
  ) {
    this.known = new Uint32Array(INITIAL_ENTRIES * knownWords);
    this.unknown = new Uint32Array(INITIAL_ENTRIES * unknownWords);
    this.states = new Int32Array(INITIAL_ENTRIES);
    this.chain = new Int32Array(INITIAL_ENTRIES);
  }

  get size(): number {
    return this.count;
  }

  /** Records (K, U, state) under `hash`, a function of K and state only, unless it is dominated. */
  add(hash: number, state: number, known: Uint32Array, unknown: Uint32Array): 'added' | 'dominated' | 'full' {
    const head = this.heads.get(hash) ?? NO_ENTRY;
    for (let entry = head; entry !== NO_ENTRY; entry = this.chain[entry]!) {
      if (this.states[entry] === state && this.sameKnown(entry, known) && this.unknownSubsetOf(entry, unknown)) return 'dominated';
    }
    if (this.count === this.states.length && !this.grow()) return 'full';
    const entry = this.count++;
    this.known.set(known, entry * this.knownWords);
    this.unknown.set(unknown, entry * this.unknownWords);
    this.states[entry] = state;
    this.chain[entry] = head;
    this.heads.set(hash, entry);
    return 'added';
  }

  private sameKnown(entry: number, known: Uint32Array): boolean {
    const base = entry * this.knownWords;
    for (let w = 0; w < this.knownWords; w++) if (this.known[base + w] !== known[w]) return false;
    return true;
  }

  private unknownSubsetOf(entry: number, unknown: Uint32Array): boolean {
    const base = entry * this.unknownWords;
    for (let w = 0; w < this.unknownWords; w++) if ((this.unknown[base + w]! & ~unknown[w]!) !== 0) return false;
    return true;
  }

  private grow(): boolean {
    const capacity = this.states.length * 2;
    if (capacity * (this.knownWords + this.unknownWords + 2) * 4 > this.maxBytes) return false;
    this.known = grown(this.known, capacity * this.knownWords);
    this.unknown = grown(this.unknown, capacity * this.unknownWords);
    this.states = grown(this.states, capacity);
    this.chain = grown(this.chain, capacity);
    return true;
  }
}

function grown<T extends Uint32Array | Int32Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}
