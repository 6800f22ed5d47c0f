// Bundles the sandboxed preload (electron/preload.ts and what it imports) into one CommonJS file,
// dist/electron/preload.cjs: a sandboxed preload may require only `electron` and a few built-ins,
// never another file from disk, and cannot be an ES module.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  configFile: false,
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/electron', import.meta.url)),
    // dist/electron also holds the main process compiled by tsc; never wipe it.
    emptyOutDir: false,
    minify: false,
    sourcemap: false,
    target: 'chrome120',
    lib: {
      entry: fileURLToPath(new URL('../electron/preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
