import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { EXTERNAL_ORIGINS, isAllowedExternalUrl, lockNavigation, type NavigableContents } from '../../electron/navigation.js';

const ALLOWED = ['https://github.com'];

describe('isAllowedExternalUrl', () => {
  it.each([
    ['https://github.com/raftdesk/raftdesk', true],
    ['https://github.com', true],
    ['http://github.com/', false],
    ['https://github.com.evil.example/', false],
    ['https://evil.example/?https://github.com', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url, ALLOWED)).toBe(allowed);
  });

  it('allows nothing with the shipped (empty) allow-list', () => {
    expect(isAllowedExternalUrl('https://github.com/', EXTERNAL_ORIGINS)).toBe(false);
  });
});

describe('lockNavigation', () => {
  function fakeContents() {
    const emitter = new EventEmitter();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (event: string, listener: (...args: unknown[]) => void) => emitter.on(event, listener),
      setWindowOpenHandler: (handler: typeof openHandler) => {
        openHandler = handler;
      },
    };
    const fire = (event: string, ...args: unknown[]) => {
      const preventDefault = vi.fn();
      emitter.emit(event, { preventDefault }, ...args);
      return preventDefault;
    };
    return { contents: contents as unknown as NavigableContents, fire, open: (url: string) => openHandler?.({ url }) };
  }

  it('denies every new window and opens only allow-listed URLs externally', async () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn(async () => undefined);
    lockNavigation(contents, ALLOWED, openExternal);
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('https://github.com/x')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://github.com/x']]);
  });

  it('prevents every navigation, redirect and webview', () => {
    const { contents, fire } = fakeContents();
    const openExternal = vi.fn(async () => undefined);
    lockNavigation(contents, ALLOWED, openExternal);
    expect(fire('will-navigate', 'file:///tmp/other.html')).toHaveBeenCalled();
    expect(fire('will-navigate', 'https://github.com/')).toHaveBeenCalled();
    expect(fire('will-redirect', 'https://evil.example/')).toHaveBeenCalled();
    expect(fire('will-attach-webview')).toHaveBeenCalled();
    expect(openExternal.mock.calls).toEqual([['https://github.com/']]);
  });
});
