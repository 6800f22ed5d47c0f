// A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: no npm
// package for it is installed, and a lenient one would hide mistakes. It refuses what Prometheus's
// own parser refuses — bad metric or label names, bad escapes, values that are not floats,
// duplicate HELP/TYPE, samples of a family separated from it, samples before their TYPE, duplicate
// series, histograms without +Inf or with decreasing buckets — and reports the line.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

class ParseError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new ParseError(line, `"${text}" is not a float`);
  return Number(text);
}

/** Parses `{a="x",b="y"}` starting at text[0] === '{'; returns the labels and the rest of the line. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new ParseError(line, 'a label without "="');
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new ParseError(line, `bad label name "${name}"`);
    if (name in labels) throw new ParseError(line, `label "${name}" given twice`);
    if (text[eq + 1] !== '"') throw new ParseError(line, `label "${name}" has no quoted value`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new ParseError(line, `label "${name}" is not closed`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new ParseError(line, `bad escape "\\${next}" in label "${name}"`);
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new ParseError(line, `expected "," or "}" after label "${name}"`);
  }
}

/** The family a sample name belongs to: histograms own name_bucket, name_sum and name_count. */
function familyOf(sample: string, families: Map<string, MetricFamily>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sample.endsWith(suffix)) {
      const base = sample.slice(0, -suffix.length);
      const f = families.get(base);
      if (f && (f.type === 'histogram' || (f.type === 'summary' && suffix !== '_bucket'))) return base;
    }
  }
  return sample;
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, MetricFamily>();
  const closed = new Set<string>();
  let current: string | null = null;
  const seenSeries = new Set<string>();
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((raw, k) => {
    const n = k + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (!m) return; // a plain comment
      const [, kind, name, rest] = m as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (!METRIC_NAME.test(name)) throw new ParseError(n, `bad metric name "${name}"`);
      if (closed.has(name)) throw new ParseError(n, `${kind} for ${name} after its family ended`);
      if (current !== null && current !== name) closed.add(current);
      current = name;
      let f = families.get(name);
      if (!f) {
        f = { name, type: 'untyped', help: '', samples: [] };
        families.set(name, f);
      }
      if (kind === 'TYPE') {
        if (!TYPES.has(rest as MetricType)) throw new ParseError(n, `unknown type "${rest}"`);
        if (f.samples.length > 0) throw new ParseError(n, `TYPE for ${name} after its samples`);
        if ((f as MetricFamily & { typed?: boolean }).typed) throw new ParseError(n, `second TYPE for ${name}`);
        (f as MetricFamily & { typed?: boolean }).typed = true;
        f.type = rest as MetricType;
      } else {
        if ((f as MetricFamily & { helped?: boolean }).helped) throw new ParseError(n, `second HELP for ${name}`);
        (f as MetricFamily & { helped?: boolean }).helped = true;
        f.help = rest;
      }
      return;
    }
    const nameEnd = raw.search(/[{ ]/);
    if (nameEnd <= 0) throw new ParseError(n, 'a sample without a value');
    const name = raw.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new ParseError(n, `bad metric name "${name}"`);
    let rest = raw.slice(nameEnd);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, n));
    const parts = rest.trim().split(/ +/);
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new ParseError(n, 'expected " value [timestamp]"');
    const value = parseValue(parts[0]!, n);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new ParseError(n, `bad timestamp "${parts[1]}"`);
    const familyName = familyOf(name, families);
    if (closed.has(familyName)) throw new ParseError(n, `sample of ${familyName} after its family ended`);
    if (current !== null && current !== familyName) closed.add(current);
    current = familyName;
    let f = families.get(familyName);
    if (!f) {
      f = { name: familyName, type: 'untyped', help: '', samples: [] };
      families.set(familyName, f);
    }
    if (f.type === 'histogram' && name === familyName) throw new ParseError(n, `histogram ${familyName} has a bare sample`);
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seenSeries.has(series)) throw new ParseError(n, `series ${series} given twice`);
    seenSeries.add(series);
    if (f.type === 'counter' && !(value >= 0)) throw new ParseError(n, `counter ${name} is ${value}`);
    f.samples.push({ name, labels, value });
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

/** Per label set: buckets ascending by le, counts never decreasing, +Inf present and equal to _count. */
function checkHistogram(f: MetricFamily): void {
  const groups = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
      g.buckets.push([parseValue(le, 0), s.value]);
    } else if (s.name.endsWith('_count')) g.count = s.value;
    else g.sum = s.value;
  }
  for (const [key, g] of groups) {
    const inf = g.buckets.find(([le]) => le === Infinity);
    if (!inf) throw new Error(`${f.name}${key}: no +Inf bucket`);
    if (g.count === undefined || g.sum === undefined) throw new Error(`${f.name}${key}: _count or _sum missing`);
    if (inf[1] !== g.count) throw new Error(`${f.name}${key}: +Inf bucket ${inf[1]} differs from _count ${g.count}`);
    for (let i = 1; i < g.buckets.length; i++) {
      if (!(g.buckets[i]![0] > g.buckets[i - 1]![0])) throw new Error(`${f.name}${key}: buckets not ascending by le`);
      if (g.buckets[i]![1] < g.buckets[i - 1]![1]) throw new Error(`${f.name}${key}: bucket counts decrease`);
    }
  }
}

/** The value of the one sample named `name` whose labels include `labels`; throws unless exactly one. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  const all = [...families.values()].flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (all.length !== 1) throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${all.length}`);
  return all[0]!.value;
}
