// Dev-only: builds the renderer and the scripted fake cluster, then serves them on 127.0.0.1 so the
// console can be looked at in a browser before the real `raftdesk console` exists.
//   npx tsx test/renderer/preview/serve.ts            → prints the URL, serves until Ctrl-C
// The page gets `window.raftdesk` from preview-fake.js, injected before the app's module script.

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const rendererDist = path.join(repo, 'dist/renderer');
const previewDist = path.join(repo, 'artifacts/preview');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function buildPreview(): Promise<void> {
  await build({ configFile: path.join(repo, 'renderer/vite.config.ts'), logLevel: 'warn' });
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: previewDist,
      emptyOutDir: true,
      lib: { entry: path.join(repo, 'test/renderer/preview/fake-cluster.ts'), formats: ['iife'], name: 'RaftdeskPreview', fileName: () => 'preview-fake.js' },
    },
  });
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

/** Serves dist/renderer with the fake injected, on a free port of 127.0.0.1. */
export async function startPreviewServer(): Promise<PreviewServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      try {
        if (pathname === '/' || pathname === '/index.html') {
          const html = await readFile(path.join(rendererDist, 'index.html'), 'utf8');
          res.writeHead(200, { 'content-type': TYPES['.html'] });
          res.end(html.replace('<script type="module"', '<script src="./preview-fake.js"></script>\n    <script type="module"'));
          return;
        }
        const file = pathname === '/preview-fake.js' ? path.join(previewDist, 'preview-fake.js') : path.join(rendererDist, path.normalize(pathname));
        if (!file.startsWith(rendererDist) && !file.startsWith(previewDist)) throw new Error('outside');
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404);
        res.end('not found');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildPreview();
  const server = await startPreviewServer();
  console.log(`Preview: ${server.url}   (add ?running=1 to start at once, ?nodes=7 for seven nodes)`);
}
