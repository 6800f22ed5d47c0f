// Writes one run's trace: records are buffered and appended a few times a second by one write at a
// time, off the cluster's path (a record costs a JSON.stringify and an array push). A segment that
// reaches its size is closed and gzipped in the background, and the next one starts with the last
// snapshot and logs (a keyframe), so a run whose oldest segments were pruned still replays. A crash
// leaves at most one torn line at the end of the open segment, which the reader skips.

import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { TraceRecord } from '../api/traces.js';
import { formatTraceLine } from '../trace/trace-lines.js';
import { pruneRuns, segmentName, writeRunMeta, type RunMeta } from './trace-files.js';

export interface TraceRecorderOptions {
  runsDir: string;
  meta: Omit<RunMeta, 'endedAt' | 'pid'>;
  /** The bound on every run of the workspace together (defaults.traceMaxMb), bytes. */
  maxBytes: number;
  /** Where a segment is closed; default min(4 MiB, maxBytes / 8). */
  segmentBytes?: number;
  flushMs?: number;
  /** Called with a sentence when writing fails (the recording stops; the cluster does not). */
  onError?: (message: string) => void;
}

const FLUSH_MS = 250;
/** Flush early when this much is buffered, so that a burst does not build up in memory. */
const FLUSH_BYTES = 512 * 1024;

export class TraceRecorder {
  readonly runDir: string;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private segment = 1;
  private segmentWritten = 0;
  private file: fs.FileHandle | null = null;
  private writing: Promise<void> = Promise.resolve();
  private background: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private failed = false;
  private closed = false;
  private keyframe: { state: TraceRecord | null; logs: TraceRecord | null } = { state: null, logs: null };
  private readonly segmentMax: number;

  private constructor(private readonly options: TraceRecorderOptions) {
    this.runDir = path.join(options.runsDir, options.meta.id);
    this.segmentMax = options.segmentBytes ?? Math.max(64 * 1024, Math.min(4 * 1024 * 1024, Math.floor(options.maxBytes / 8)));
  }

  static async open(options: TraceRecorderOptions): Promise<TraceRecorder> {
    const recorder = new TraceRecorder(options);
    await fs.mkdir(recorder.runDir, { recursive: true });
    await writeRunMeta(recorder.runDir, { ...options.meta, endedAt: null, pid: process.pid });
    recorder.file = await fs.open(recorder.segmentPath(), 'a');
    await pruneRuns(options.runsDir, options.maxBytes, recorder.segmentPath());
    recorder.timer = setInterval(() => recorder.flush(), options.flushMs ?? FLUSH_MS);
    recorder.timer.unref();
    return recorder;
  }

  add(record: TraceRecord): void {
    if (this.failed || this.closed) return;
    if (record.k === 'state') this.keyframe.state = record;
    else if (record.k === 'logs') this.keyframe.logs = record;
    const line = formatTraceLine(record);
    this.buffer.push(line);
    this.bufferedChars += line.length;
    if (this.bufferedChars >= FLUSH_BYTES) this.flush();
  }

  /** Writes what is buffered (one write in flight at a time); resolves when it is on disk. */
  flush(): Promise<void> {
    if (this.buffer.length === 0 || this.failed) return this.writing;
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferedChars = 0;
    this.writing = this.writing.then(() => this.write(text)).catch((e: unknown) => this.fail(e));
    return this.writing;
  }

  /** Flushes, closes the segment and marks the run ended. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    await this.writing;
    await this.file?.close().catch(() => undefined);
    this.file = null;
    await this.background;
    if (!this.failed) await writeRunMeta(this.runDir, { ...this.options.meta, endedAt: Date.now(), pid: process.pid }).catch((e: unknown) => this.fail(e));
  }

  private segmentPath(): string {
    return path.join(this.runDir, segmentName(this.segment));
  }

  private async write(text: string): Promise<void> {
    if (!this.file) return;
    const bytes = Buffer.from(text, 'utf8');
    await this.file.write(bytes);
    this.segmentWritten += bytes.length;
    if (this.segmentWritten >= this.segmentMax) await this.rotate();
  }

  private async rotate(): Promise<void> {
    const closed = this.segmentPath();
    await this.file?.close();
    this.segment++;
    this.segmentWritten = 0;
    this.file = await fs.open(this.segmentPath(), 'a');
    const head = [this.keyframe.state, this.keyframe.logs].filter((r): r is TraceRecord => r !== null).map(formatTraceLine).join('');
    if (head) {
      const bytes = Buffer.from(head, 'utf8');
      await this.file.write(bytes);
      this.segmentWritten += bytes.length;
    }
    const current = this.segmentPath();
    this.background = this.background.then(async () => {
      await gzipFile(closed);
      await pruneRuns(this.options.runsDir, this.options.maxBytes, current);
    }).catch((e: unknown) => this.fail(e));
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.buffer = [];
    const why = error instanceof Error ? error.message : String(error);
    this.options.onError?.(`Recording this run in ${this.runDir} stopped: ${why}. The cluster keeps running; free disk space and restart the cluster to record again.`);
  }
}

/** file → file.gz (written as .gz.tmp and renamed once complete), then the plain file is removed. */
async function gzipFile(file: string): Promise<void> {
  const tmp = `${file}.gz.tmp`;
  await pipeline(createReadStream(file), createGzip(), createWriteStream(tmp));
  await fs.rename(tmp, `${file}.gz`);
  await fs.rm(file, { force: true });
}
