/**
 * The web page at `/` (web/, built by `npm run setup` into web/dist) and its hashed assets.
 * No key is needed to load it: the page asks for one and sends it with the API calls.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { repoPath } from '../../platform/compiled.js';

export const WEB_ROOT = repoPath('web/dist/');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};
// The page loads only its own scripts and styles; results may come from presigned object-store URLs.
const CSP = "default-src 'self'; img-src 'self' blob: data:; connect-src *; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

async function send(reply: FastifyReply, file: string, cache: string): Promise<FastifyReply> {
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    if (!file.endsWith('index.html')) return reply.code(404).type('text/plain; charset=utf-8').send('no such file');
    return reply.code(503).type('text/plain; charset=utf-8').send('The web page is not built: run `npm run setup` (it builds web/ into web/dist).');
  }
  return reply.type(TYPES[path.extname(file)] ?? 'application/octet-stream').header('Cache-Control', cache)
    .header('Content-Security-Policy', CSP).header('X-Content-Type-Options', 'nosniff').send(body);
}

export function registerWebPageRoutes(app: FastifyInstance, root = WEB_ROOT): void {
  app.get('/', async (_request, reply) => send(reply, path.join(root, 'index.html'), 'no-cache'));
  // Vite names assets by content hash: they never change under a name.
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const name = request.params.file;
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return reply.code(404).type('text/plain; charset=utf-8').send('no such file');
    return send(reply, path.join(root, 'assets', name), 'public, max-age=31536000, immutable');
  });
}
