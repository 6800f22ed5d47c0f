// Defense in depth for the window's session: a Content-Security-Policy header on every response (the
// page also carries one in renderer/index.html's meta tag) and no web permissions at all.

import type { Session } from 'electron';

/** Like the page's own policy, minus the WebSocket origin that only browser mode needs. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type ResponseHeaders = Record<string, string[]>;

/** The headers with our policy in place of any Content-Security-Policy already there (any casing). */
export function withContentSecurityPolicy(headers: ResponseHeaders | undefined): ResponseHeaders {
  const kept = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

export type SecurableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

export function secureSession(session: SecurableSession): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
  // The console needs no camera, notifications, clipboard reads, ...: refuse every request and check.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
