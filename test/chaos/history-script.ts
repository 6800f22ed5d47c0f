// Builds histories for tests line by line, in real-time order, as the recorder would write them.

import { formatHistoryLine, parseHistory, type CasValue, type History, type HistoryValue, type OpFunction } from '../../core/check/index.js';

export class HistoryScript {
  private readonly lines: string[] = [];
  private readonly open = new Map<number, { f: OpFunction; key: string; value: HistoryValue | CasValue | null }>();
  private time = 0;

  invoke(process: number, f: OpFunction, key: string, value: HistoryValue | CasValue | null = null): this {
    this.open.set(process, { f, key, value });
    this.lines.push(formatHistoryLine({ process, type: 'invoke', f, key, value, time: (this.time += 1e6) }));
    return this;
  }

  /** Completes the process's operation; an ok read gives the value read. */
  complete(process: number, type: 'ok' | 'fail' | 'info', readValue: HistoryValue | null = null): this {
    const op = this.open.get(process)!;
    this.open.delete(process);
    const value = op.f === 'read' ? readValue : op.value;
    this.lines.push(formatHistoryLine({ process, type, f: op.f, key: op.key, value, time: (this.time += 1e6) }));
    return this;
  }

  /** A whole operation, with nothing else happening meanwhile. */
  op(process: number, f: OpFunction, key: string, value: HistoryValue | CasValue | null, type: 'ok' | 'fail' | 'info' = 'ok', readValue: HistoryValue | null = null): this {
    return this.invoke(process, f, key, value).complete(process, type, readValue);
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }

  history(): History {
    return parseHistory(this.text());
  }
}
