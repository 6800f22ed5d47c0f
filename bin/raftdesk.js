#!/usr/bin/env node
// The `raftdesk` command. In a checkout it runs the TypeScript sources through tsx (no build step);
// in a packaged install, where only dist/ ships, it runs the compiled CLI.
import { existsSync } from 'node:fs';

const source = new URL('../core/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/core/cli/main.js', import.meta.url).href);
}
