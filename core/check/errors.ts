/** A history that cannot be read. The message is one sentence that starts with "line N: ". */
export class HistoryParseError extends Error {
  constructor(
    /** 1-based line number. */
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'HistoryParseError';
  }
}
