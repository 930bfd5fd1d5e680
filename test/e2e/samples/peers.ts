/**
 * The two servers the vendor's samples need beside docr: one that serves the image for
 * `image_url` (on port 80: docr, like the reference, takes no other port), and one that
 * receives callbacks.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ImageServer { url: string; close(): Promise<void> }

const close = (server: http.Server) => new Promise<void>((r) => server.close(() => r()));

/**
 * Serves `file` on port 80 of a random address of 127.0.0.0/8, so that runs of other
 * checkouts on the same machine do not collide; undefined when port 80 cannot be bound here
 * (not root, or taken on every address tried).
 */
export async function serveImageOnPort80(file: string, contentType = 'image/png'): Promise<ImageServer | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const host = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const server = http.createServer((_req, res) => { res.setHeader('content-type', contentType); fs.createReadStream(file).pipe(res); });
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(80, host, () => resolve(true));
    });
    if (bound) return { url: `http://${host}/scan.png`, close: () => close(server) };
  }
  return undefined;
}

export interface Delivery { path: string; headers: http.IncomingHttpHeaders; body: string }

export interface CallbackReceiver {
  urlFor(name: string): string;
  /** The first delivery to `urlFor(name)`, waiting up to `timeoutMs`. */
  next(name: string, timeoutMs?: number): Promise<Delivery>;
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: Delivery[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { received.push({ path: req.url ?? '', headers: req.headers, body }); res.end('ok'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pathOf = (name: string) => `/callbacks/${encodeURIComponent(name)}`;
  return {
    urlFor: (name) => `${base}${pathOf(name)}`,
    async next(name, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find((d) => d.path === pathOf(name));
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no callback arrived at ${pathOf(name)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    close: () => close(server),
  };
}
