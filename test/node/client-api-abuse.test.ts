// The client port under unusual but legal HTTP: pipelined HTTP/1.1 requests, oversized bodies and
// keys, keys that are not valid percent-encoding, and keys that look like path segments. A real
// 3-node cluster on 127.0.0.1, stopped by PID after the tests.

import http2 from 'node:http2';
import https from 'node:https';
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../core/pki/credentials.js';
import { useTestCluster } from '../helpers/test-cluster.js';

const cluster = useTestCluster({ nodes: 3 });
let credentials: Credentials;
let leaderPort: number;

beforeAll(async () => {
  credentials = await cluster().supervisor.clientCredentials();
  const leader = await cluster().leader();
  leaderPort = cluster().definition.nodes.find((n) => n.id === leader)!.clientPort;
});

interface Answer {
  status: number;
  body: string;
}

/** Sends raw HTTP/1.1 bytes on one TLS connection and parses `count` responses (content-length bodies). */
function rawHttp1(port: number, requests: string, count: number): Promise<Answer[]> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: credentials.ca, cert: credentials.cert, key: credentials.key, ALPNProtocols: ['http/1.1'] });
    let data = Buffer.alloc(0);
    const answers: Answer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only ${answers.length} of ${count} answers arrived`));
    }, 10_000);
    socket.on('secureConnect', () => socket.write(requests));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      for (;;) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = data.subarray(0, end).toString('latin1');
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (data.length < end + 4 + length) return;
        answers.push({ status: Number(head.split(' ')[1]), body: data.subarray(end + 4, end + 4 + length).toString('utf8') });
        data = data.subarray(end + 4 + length);
        if (answers.length === count) {
          clearTimeout(timer);
          socket.destroy();
          resolve(answers);
          return;
        }
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** One HTTP/1.1 request through node:https (no ALPN h2), with the body written in one go. */
function http1Request(method: string, path: string, body: Buffer | null): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: leaderPort, method, path, ca: credentials.ca, cert: credentials.cert, key: credentials.key, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    if (body) req.end(body);
    else req.end();
  });
}

describe('HTTP/1.1 on the client port', () => {
  it('applies pipelined requests of one connection in the order they were sent', async () => {
    for (let round = 0; round < 5; round++) {
      const value = `v${round}`;
      const put = `PUT /v1/kv/pipelined HTTP/1.1\r\nHost: n\r\nContent-Length: ${value.length}\r\n\r\n${value}`;
      const get = 'GET /v1/kv/pipelined HTTP/1.1\r\nHost: n\r\n\r\n';
      const [putAnswer, getAnswer] = await rawHttp1(leaderPort, put + get, 2);
      expect(putAnswer!.status).toBe(200);
      expect(getAnswer!.status).toBe(200);
      const written = JSON.parse(putAnswer!.body) as { index: number };
      const read = JSON.parse(getAnswer!.body) as { value: string; readIndex: number };
      expect(read.value).toBe(value);
      // The read (ReadIndex, no log entry) was confirmed at or after the write's index.
      expect(read.readIndex).toBeGreaterThanOrEqual(written.index);
    }
  });

  it('answers a body over 1 MiB with 413 and a sentence instead of resetting the connection', async () => {
    const answer = await http1Request('PUT', '/v1/kv/big', Buffer.alloc(2 * 1024 * 1024, 0x61));
    expect(answer.status).toBe(413);
    const json = JSON.parse(answer.body) as { code: string; error: string };
    expect(json.code).toBe('too-large');
    expect(json.error).toMatch(/larger than/);
  });

  it('refuses a key over 64 KiB with a sentence', async () => {
    const answer = await http1Request('PUT', `/v1/kv/${'k'.repeat(70 * 1024)}`, Buffer.from('v'));
    expect(answer.status).toBe(414);
    expect((JSON.parse(answer.body) as { error: string }).error).toMatch(/key/i);
  });

  it.each([
    ['%zz', 'not valid percent-encoding'],
    ['%ED%A0%80', 'not valid percent-encoding'],
  ])('refuses the key %s with a key error, not "no route"', async (raw) => {
    const answer = await http1Request('PUT', `/v1/kv/${raw}`, Buffer.from('v'));
    expect(answer.status).toBe(400);
    const json = JSON.parse(answer.body) as { code: string; error: string };
    expect(json.code).toBe('bad-request');
    expect(json.error).toMatch(/key/i);
  });
});

/** One HTTP/2 request on its own session, with the body written in one go. */
function http2Request(method: string, path: string, body: Buffer | null): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${leaderPort}`, { ca: credentials.ca, cert: credentials.cert, key: credentials.key });
    const fail = (e: Error) => {
      session.destroy();
      reject(e);
    };
    session.on('error', fail);
    const stream = session.request({ ':method': method, ':path': path });
    stream.setTimeout(10_000, () => fail(new Error('no answer within 10 s')));
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      session.close();
      resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
    });
    // The server may close the stream once it has answered, before the whole upload was sent.
    stream.on('error', (e) => (status ? undefined : fail(e)));
    stream.end(body ?? undefined);
  });
}

describe('HTTP/2 on the client port', () => {
  it('answers a body over 1 MiB with 413 and a sentence, and the port goes on serving', async () => {
    const answer = await http2Request('PUT', '/v1/kv/big', Buffer.alloc(2 * 1024 * 1024, 0x61));
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { code: string }).code).toBe('too-large');
    const small = await http2Request('PUT', '/v1/kv/h2-small', Buffer.from('ok'));
    expect(small.status).toBe(200);
  });

  it('refuses bytes that are not UTF-8 and an unknown route with sentences', async () => {
    const bad = await http2Request('PUT', '/v1/kv/h2-bytes', Buffer.from([0xff, 0xfe]));
    expect(bad.status).toBe(400);
    expect((JSON.parse(bad.body) as { error: string }).error).toMatch(/UTF-8/);
    const unknown = await http2Request('GET', '/v2/nothing', null);
    expect(unknown.status).toBe(404);
    expect((JSON.parse(unknown.body) as { error: string }).error).toMatch(/no route GET \/v2\/nothing/);
  });
});

describe('keys that look like path segments', () => {
  it.each(['.', '..', '%2E%2E'])('stores and reads the key %s through the client library', async (key) => {
    const kv = cluster().client();
    await kv.put(key, `value of ${key}`);
    expect((await kv.get(key)).value).toBe(`value of ${key}`);
  });

  it('refuses a lone surrogate and an oversized key in the client with a key error', async () => {
    const kv = cluster().client();
    await expect(kv.put('a\uD800b', 'v')).rejects.toThrow(/key/i);
    await expect(kv.put('k'.repeat(70 * 1024), 'v')).rejects.toThrow(/64 KiB/);
  });
});
