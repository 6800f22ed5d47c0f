// Prints how long the checker takes on simulated histories of growing size and concurrency, with and
// without an anomaly. Run: npx tsx test/check/bench.ts [--quick]
import { checkHistory, parseHistory } from '../../core/check/index.js';
import { generateHistory, type Anomaly } from './generate.js';

interface Row {
  clients: number;
  keys: number;
  ops: number;
  infoRate: number;
  anomaly: Anomaly | null;
}

const quick = process.argv.includes('--quick');
const rows: Row[] = [];
for (const [clients, keys, ops, infoRate] of quick
  ? [[5, 3, 3000, 0.05]]
  : [
      [5, 3, 3000, 0.05],
      [8, 3, 3000, 0.05],
      [8, 3, 10000, 0.05],
      [16, 2, 5000, 0.1],
      [10, 1, 2000, 0.2],
    ]) {
  for (const anomaly of [null, 'stale-read', 'cas-ok-mismatch'] as const) rows.push({ clients: clients!, keys: keys!, ops: ops!, infoRate: infoRate!, anomaly });
}

console.log('clients keys    ops  info  anomaly          verdict  check ms  anomaly ops');
for (const row of rows) {
  const { text } = generateHistory({ seed: 1, ...row });
  const history = parseHistory(text);
  const started = performance.now();
  const result = checkHistory(history, { now: () => performance.now(), timeoutMs: 120_000 });
  const ms = performance.now() - started;
  console.log(
    [
      String(row.clients).padStart(7),
      String(row.keys).padStart(4),
      String(history.ops.length).padStart(6),
      `${Math.round(row.infoRate * 100)}%`.padStart(5),
      (row.anomaly ?? '-').padEnd(16),
      String(result.linearizable).padStart(7),
      ms.toFixed(0).padStart(9),
      String(result.anomaly?.length ?? '').padStart(12),
    ].join(' '),
  );
}
