// The window never navigates away from our page and never opens another window. Links to the
// outside world open in the user's browser, and only for allow-listed https origins.

import type { WebContents } from 'electron';

/** https origins the app may open in the user's browser. None are needed yet. */
export const EXTERNAL_ORIGINS: readonly string[] = [];

export function isAllowedExternalUrl(url: string, allowedOrigins: readonly string[]): boolean {
  const parsed = URL.parse(url);
  return parsed !== null && parsed.protocol === 'https:' && allowedOrigins.includes(parsed.origin);
}

export type OpenExternal = (url: string) => Promise<void>;

/** Opens url in the user's browser if it is allow-listed; reports whether it did. */
export function openExternalIfAllowed(url: string, allowedOrigins: readonly string[], openExternal: OpenExternal): boolean {
  if (!isAllowedExternalUrl(url, allowedOrigins)) return false;
  void openExternal(url).catch(() => undefined);
  return true;
}

export type NavigableContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/** Applied to every WebContents the app creates (app 'web-contents-created'), not only the window. */
export function lockNavigation(contents: NavigableContents, allowedOrigins: readonly string[], openExternal: OpenExternal): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url, allowedOrigins, openExternal);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalIfAllowed(url, allowedOrigins, openExternal);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
