import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQuitSequence } from '../../electron/quit-sequence.js';

afterEach(() => {
  vi.useRealTimers();
});

function setup(close: () => Promise<void>) {
  const order: string[] = [];
  const exit = vi.fn((code: number) => order.push(`exit ${code}`));
  const warn = vi.fn();
  const quit = createQuitSequence({
    close: async () => {
      order.push('close');
      await close();
      order.push('closed');
    },
    timeoutMs: 1000,
    exit,
    warn,
  });
  return { quit, exit, warn, order };
}

describe('quit sequence', () => {
  it('closes the service before exiting, once, however many ways out are taken', async () => {
    const { quit, exit, order } = setup(async () => undefined);
    expect(quit.state()).toBe('running');
    const first = quit.begin(0);
    expect(quit.state()).toBe('closing');
    const second = quit.begin(1);
    expect(quit.holdQuit()).toBe(true);
    await Promise.all([first, second]);
    expect(order).toEqual(['close', 'closed', 'exit 0']);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(quit.state()).toBe('closed');
  });

  it('holds the first before-quit and starts closing; lets it through once closed', async () => {
    const { quit, order } = setup(async () => undefined);
    expect(quit.holdQuit()).toBe(true);
    await quit.begin(0);
    expect(order).toEqual(['close', 'closed', 'exit 0']);
    expect(quit.holdQuit()).toBe(false);
  });

  it('exits with the code of the first reason (an uncaught error exits 1)', async () => {
    const { quit, exit } = setup(async () => undefined);
    await quit.begin(1);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('exits after the timeout when closing hangs, and warns', async () => {
    vi.useFakeTimers();
    const { quit, exit, warn } = setup(() => new Promise(() => undefined));
    const done = quit.begin(0);
    await vi.advanceTimersByTimeAsync(999);
    expect(exit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(exit).toHaveBeenCalledWith(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('too long'), { timeoutMs: 1000 });
  });

  it('exits when closing fails, and warns with the reason', async () => {
    const { quit, exit, warn } = setup(async () => {
      throw new Error('supervisor gone');
    });
    await quit.begin(0);
    expect(exit).toHaveBeenCalledWith(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('failed'), { error: 'supervisor gone' });
  });
});
