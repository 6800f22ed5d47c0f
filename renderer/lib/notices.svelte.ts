// Short-lived one-sentence notices for what an action did or why it failed.

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

const MAX_NOTICES = 2;

export class NoticeStore {
  notices = $state.raw<Notice[]>([]);
  private nextId = 1;

  constructor(
    private readonly lifetimeMs = 5000,
    private readonly setTimer: (run: () => void, ms: number) => unknown = (run, ms) => setTimeout(run, ms),
  ) {}

  info(text: string): void {
    this.push('info', text);
  }

  error(text: string): void {
    this.push('error', text);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  private push(kind: Notice['kind'], text: string): void {
    const notice = { id: this.nextId++, kind, text };
    this.notices = [...this.notices, notice].slice(-MAX_NOTICES);
    this.setTimer(() => this.dismiss(notice.id), kind === 'error' ? this.lifetimeMs * 2 : this.lifetimeMs);
  }
}
