/**
 * @docr/sdk in Node: the same client, whose `file` also takes a path, a `file:` URL or a
 * Node stream, and which uploads streams as they are read (never whole in memory); plus
 * downloadTo, which writes a result to disk.
 */
import { openAsBlob } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DocrClient as BaseClient } from './client.js';
import { DocrError } from './errors.js';
import type { ClientOptions, Task } from './types.js';
import { resolveUniversalUpload, type UploadResolver } from './uploads.js';

export * from './index.js';

const resolveNodeUpload: UploadResolver = async (file, name) => {
  if (typeof file === 'string' || (file instanceof URL && file.protocol === 'file:')) {
    const filePath = typeof file === 'string' ? file : fileURLToPath(file);
    try {
      return { blob: await openAsBlob(filePath), name: name ?? path.basename(filePath), again: true };
    } catch (e) {
      throw new DocrError(`cannot read ${filePath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { cause: e });
    }
  }
  if (file instanceof Readable) {
    const fromPath = (file as Readable & { path?: unknown }).path;
    return { stream: Readable.toWeb(file) as ReadableStream<Uint8Array>, name: name ?? (typeof fromPath === 'string' ? path.basename(fromPath) : 'document'), again: false };
  }
  return resolveUniversalUpload(file, name);
};

/**
 * A fetch for uploads that takes the answer the server gives before the upload has all been
 * sent: docr refuses an oversized upload with 413 and closes the connection, where fetch
 * would only report the broken pipe.
 */
const uploadFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init); // serialises FormData, with its boundary
  const url = new URL(request.url);
  return new Promise<Response>((resolve, reject) => {
    let answered = false;
    const req = (url.protocol === 'https:' ? https : http).request(url, { method: request.method, headers: Object.fromEntries(request.headers), signal: init?.signal ?? undefined }, (res) => {
      answered = true;
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status: res.statusCode, headers }));
    });
    req.on('error', (e) => { if (!answered) reject(new TypeError('fetch failed', { cause: e })); });
    if (!request.body) { req.end(); return; }
    const body = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream);
    body.on('error', (e) => req.destroy(e));
    body.pipe(req);
  });
};

export class DocrClient extends BaseClient {
  constructor(options: ClientOptions) {
    super({ ...options, resolveUpload: resolveNodeUpload, streamUploads: true, uploadFetch });
  }

  /** Downloads the task's result into `file` (directories are made); answers the path. */
  async downloadTo(task: string | Pick<Task, 'file' | 'task_id'>, file: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    const res = await this.download(task, options);
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    if (!res.body) { await writeFile(file, new Uint8Array()); return file; }
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
    return file;
  }
}
