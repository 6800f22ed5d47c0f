#!/usr/bin/env node
// The `raftdesk` command. It runs the compiled CLI (dist/, built by `npm ci` or the first
// `npm start`) whenever dist/ is current, so that it starts fast and forks compiled nodes; in a
// checkout whose sources changed since the last build it runs the TypeScript sources through tsx
// (as does RAFTDESK_FROM_SOURCE=1). A packaged install ships dist/ only.
import { existsSync } from 'node:fs';
import { BUILDS, isStale } from './build-state.js';

const source = new URL('../core/cli/main.ts', import.meta.url);
const useSource = existsSync(source) && (process.env.RAFTDESK_FROM_SOURCE === '1' || isStale(BUILDS.core));
if (useSource) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/core/cli/main.js', import.meta.url).href);
}
