// A minimal etcd v3 client for tools/bench-vs-etcd.ts: unary gRPC calls (KV.Put and a linearizable
// KV.Range) over one HTTP/2 connection with mutual TLS, the protobuf messages encoded by hand. Just
// enough to load etcd the way raftdesk's benchmark loads raftdesk — closed-loop clients, one request
// in flight each, multiplexed over one connection per member — without adding a gRPC library.

import http2 from 'node:http2';

export interface EtcdTls {
  ca: string;
  cert: string;
  key: string;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** A length-delimited protobuf field (wire type 2). */
function bytesField(field: number, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(data.length)]), data]);
}

/** etcdserverpb.PutRequest { key = 1; value = 2 }. */
export function putRequest(key: string, value: string): Buffer {
  return Buffer.concat([bytesField(1, Buffer.from(key)), bytesField(2, Buffer.from(value))]);
}

/** etcdserverpb.RangeRequest { key = 1 }: serializable (field 7) left false, so the read is
 *  linearizable — etcd confirms it with ReadIndex. */
export function rangeRequest(key: string): Buffer {
  return bytesField(1, Buffer.from(key));
}

export class EtcdConnection {
  private current: http2.ClientHttp2Session | null = null;

  constructor(
    private readonly url: string,
    private readonly tls: EtcdTls,
  ) {}

  /** The connection, opened again if it failed (etcd still starting) or was closed. */
  private get session(): http2.ClientHttp2Session {
    if (!this.current || this.current.destroyed || this.current.closed) {
      this.current = http2.connect(this.url, { ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key });
      this.current.on('error', () => undefined);
    }
    return this.current;
  }

  /** One unary call; resolves with the response message, rejects on a non-zero grpc-status. */
  call(path: string, message: Buffer, timeoutMs = 10_000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const frame = Buffer.alloc(5 + message.length);
      frame.writeUInt32BE(message.length, 1);
      message.copy(frame, 5);
      const stream = this.session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
      const chunks: Buffer[] = [];
      let status: string | undefined;
      let detail = '';
      const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), timeoutMs);
      const note = (headers: http2.IncomingHttpHeaders) => {
        if (headers['grpc-status'] !== undefined) status = String(headers['grpc-status']);
        if (headers['grpc-message'] !== undefined) detail = decodeURIComponent(String(headers['grpc-message']));
      };
      stream.on('response', note);
      stream.on('trailers', note);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      stream.on('close', () => {
        clearTimeout(timer);
        if (status === '0') resolve(Buffer.concat(chunks).subarray(5));
        else reject(new Error(`etcd ${path} failed: grpc-status ${status ?? 'missing'} ${detail}`.trim()));
      });
      stream.end(frame);
    });
  }

  put(key: string, value: string): Promise<Buffer> {
    return this.call('/etcdserverpb.KV/Put', putRequest(key, value));
  }

  get(key: string): Promise<Buffer> {
    return this.call('/etcdserverpb.KV/Range', rangeRequest(key));
  }

  close(): void {
    this.current?.close();
  }
}
