// Structured logs (JSON lines) to the node's log file. Writes are synchronous: the volume is low
// (elections, connections, errors — never per request) and a line written is a line kept.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Log } from '../api/log.js';

export type { Log, LogLevel } from '../api/log.js';

export function fileLogger(file: string, nodeId: string): { log: Log; flush(): void } {
  mkdirSync(path.dirname(file), { recursive: true });
  const destination = pino.destination({ dest: file, sync: true });
  // A log line that cannot be written (a full disk) is lost; it must never take the node down with it.
  destination.on('error', () => undefined);
  const logger = pino({ base: { node: nodeId }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  return {
    log: (level, message, fields) => {
      try {
        logger[level](fields ?? {}, message);
      } catch {
        // ENOSPC, EMFILE: see above.
      }
    },
    flush: () => {
      try {
        logger.flush();
      } catch {
        // As above.
      }
    },
  };
}
