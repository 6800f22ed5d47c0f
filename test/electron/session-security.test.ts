import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, secureSession, withContentSecurityPolicy, type SecurableSession } from '../../electron/session-security.js';

describe('withContentSecurityPolicy', () => {
  it('adds the policy and keeps the other headers', () => {
    expect(withContentSecurityPolicy({ 'Content-Type': ['text/html'] })).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('replaces a looser policy whatever its casing', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ["default-src *; script-src 'unsafe-eval'"] });
    expect(Object.keys(headers)).toEqual(['Content-Security-Policy']);
  });

  it('forbids inline and remote scripts, plugins and framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});

describe('secureSession', () => {
  it('sets the header on responses and refuses every permission', () => {
    const onHeadersReceived = vi.fn();
    const setPermissionRequestHandler = vi.fn();
    const setPermissionCheckHandler = vi.fn();
    secureSession({ webRequest: { onHeadersReceived }, setPermissionRequestHandler, setPermissionCheckHandler } as unknown as SecurableSession);

    const headersListener = onHeadersReceived.mock.calls[0]?.[0];
    const callback = vi.fn();
    headersListener({ responseHeaders: { Server: ['x'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { Server: ['x'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });

    const decide = vi.fn();
    setPermissionRequestHandler.mock.calls[0]?.[0]({}, 'media', decide);
    expect(decide).toHaveBeenCalledWith(false);
    expect(setPermissionCheckHandler.mock.calls[0]?.[0]({}, 'clipboard-read')).toBe(false);
  });
});
