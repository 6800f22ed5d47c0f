// Builds the console UI into dist/renderer/. base './' keeps every asset URL relative, so the same
// files load from file:// in Electron and from `raftdesk console` over http://127.0.0.1:PORT/.
// This file runs in Node at build time, not in the renderer (its own entry in eslint/layers.js).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be an inline script, which the CSP forbids; Chromium needs none.
    modulePreload: { polyfill: false },
    target: 'chrome120',
  },
});
