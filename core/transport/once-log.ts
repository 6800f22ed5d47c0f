// Remembers which (subject, reason) pairs were already logged, so that a peer retrying the same bad
// connection every second produces one log line, not one per attempt. Bounded: a flood of distinct
// subjects cannot grow it without limit (it forgets everything and may log a pair again).

const MAX_REMEMBERED = 1024;

export class OnceLog {
  private readonly seen = new Map<string, Set<string>>();
  private size = 0;

  /** True the first time (subject, reason) is seen since the subject was last forgotten. */
  first(subject: string, reason: string): boolean {
    let reasons = this.seen.get(subject);
    if (reasons?.has(reason)) return false;
    if (this.size >= MAX_REMEMBERED) {
      this.seen.clear();
      this.size = 0;
      reasons = undefined;
    }
    if (!reasons) {
      reasons = new Set();
      this.seen.set(subject, reasons);
    }
    reasons.add(reason);
    this.size++;
    return true;
  }

  /** The subject is healthy again: its next problem deserves a line. */
  forget(subject: string): void {
    this.size -= this.seen.get(subject)?.size ?? 0;
    this.seen.delete(subject);
  }
}
