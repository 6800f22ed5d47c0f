// How the app ends. Every way out (window closed, Cmd-Q, SIGINT/SIGTERM, an uncaught error) goes
// through begin(): the service is closed, which stops every node process, before the app exits.
// Closing is bounded by a timeout so a stuck node cannot keep the app alive; nodes still running then
// exit by themselves when their IPC channel to this process disconnects.
//
// States: running → closing (close() in flight, quits held) → closed (exit called; quits pass).

export type QuitState = 'running' | 'closing' | 'closed';

export interface QuitSequenceOptions {
  close: () => Promise<void>;
  timeoutMs: number;
  /** Ends the process (app.exit): it must not emit before-quit again. */
  exit: (code: number) => void;
  warn: (message: string, fields?: Record<string, unknown>) => void;
}

export interface QuitSequence {
  state(): QuitState;
  /** Starts closing unless already started; resolves once exit has been called. */
  begin(exitCode: number): Promise<void>;
  /**
   * For app 'before-quit': returns true while the quit must be held (call event.preventDefault()),
   * starting the close if it has not started. Returns false once closed, letting the quit proceed.
   */
  holdQuit(): boolean;
}

export function createQuitSequence(options: QuitSequenceOptions): QuitSequence {
  let state: QuitState = 'running';
  let finished: Promise<void> | null = null;

  async function closeThenExit(exitCode: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    try {
      const outcome = await Promise.race([options.close().then(() => 'closed' as const), timedOut]);
      if (outcome === 'timeout') options.warn('Stopping the nodes took too long; exiting anyway.', { timeoutMs: options.timeoutMs });
    } catch (error) {
      options.warn('Stopping the nodes failed; exiting anyway.', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
    state = 'closed';
    options.exit(exitCode);
  }

  function begin(exitCode: number): Promise<void> {
    if (finished === null) {
      state = 'closing';
      finished = closeThenExit(exitCode);
    }
    return finished;
  }

  function holdQuit(): boolean {
    if (state === 'closed') return false;
    void begin(0);
    return true;
  }

  return { state: () => state, begin, holdQuit };
}
