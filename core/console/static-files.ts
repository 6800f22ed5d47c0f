// Serves the built renderer (dist/renderer) to the browser: GET only, no directory listing, no path
// escapes, and the same CSP the Electron window uses.

import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The renderer build beside the code: dist/renderer from a checkout (core/console/..) or a build (dist/core/console/..). */
export async function findRendererDir(): Promise<string | null> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../../dist/renderer'), path.resolve(here, '../../renderer')]) {
    try {
      await fs.access(path.join(candidate, 'index.html'));
      if (candidate.endsWith(path.join('dist', 'renderer'))) return candidate;
    } catch {
      // try the next
    }
  }
  return null;
}

/** The file a URL path names, as served: percent-decoded, dot segments resolved, "/" as /index.html
 *  (what the token check looks at, so that /%69ndex.html is the page too). Null if it does not decode. */
export function servedPath(urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  rel = path.posix.normalize('/' + rel);
  return rel === '/' ? '/index.html' : rel;
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const rel = servedPath(urlPath);
  if (rel === null) {
    res.writeHead(404).end();
    return;
  }
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await fs.readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }
}
