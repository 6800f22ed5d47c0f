import { describe, expect, it } from 'vitest';
import { parseCasBody, parseRoute } from '../../core/node/client-api.js';
import { tickSettings } from '../../core/node/timing.js';

describe('client API routes', () => {
  it('parses every route, with URL-encoded keys', () => {
    expect(parseRoute('/v1/status')).toEqual({ kind: 'status' });
    expect(parseRoute('/v1/entries')).toEqual({ kind: 'entries' });
    expect(parseRoute('/v1/kv/x')).toEqual({ kind: 'kv', key: 'x', action: 'value' });
    expect(parseRoute('/v1/kv/a%2Fb/cas')).toEqual({ kind: 'kv', key: 'a/b', action: 'cas' });
    expect(parseRoute('/v1/kv/cas/append')).toEqual({ kind: 'kv', key: 'cas', action: 'append' });
  });

  it('refuses unknown and malformed paths', () => {
    for (const p of ['/', '/v1', '/v1/kv', '/v1/kv/', '/v1/kv/x/y', '/v1/kv/x/cas/z', '/v2/kv/x']) expect(parseRoute(p)).toBeNull();
    // A key that does not decode is a key error, not an unknown route.
    expect(parseRoute('/v1/kv/%E0%A4%A')).toMatchObject({ kind: 'bad-key', status: 400 });
  });

  it('parses cas bodies and names what is wrong', () => {
    expect(parseCasBody('{"expected":"1","value":"2"}')).toEqual({ expected: '1', value: '2' });
    expect(parseCasBody('{"expected":null,"value":"2"}')).toEqual({ expected: null, value: '2' });
    expect(() => parseCasBody('{nope')).toThrow(/must be JSON/);
    expect(() => parseCasBody('{"value":"2"}')).toThrow(/string values/);
    expect(() => parseCasBody('{"expected":1,"value":"2"}')).toThrow(/string values/);
    expect(() => parseCasBody('[]')).toThrow(/string values/);
  });
});

describe('tick settings', () => {
  it('turns milliseconds into ticks of at most 10 ms', () => {
    expect(tickSettings(100, 1000)).toEqual({ tickMs: 10, heartbeatTicks: 10, electionTicks: 100 });
    expect(tickSettings(50, 500)).toEqual({ tickMs: 10, heartbeatTicks: 5, electionTicks: 50 });
    expect(tickSettings(4, 40)).toEqual({ tickMs: 2, heartbeatTicks: 2, electionTicks: 20 });
  });

  it('keeps the election timeout longer than the heartbeat', () => {
    const t = tickSettings(100, 101);
    expect(t.electionTicks).toBeGreaterThan(t.heartbeatTicks);
  });
});
