/**
 * BlobStore on the local disk. A put streams into a temporary file beside its target and
 * renames it into place, so that a reader never sees half a blob and a crash leaves only
 * `*.partial` files (removed by the sweeper through `list`/`delete`, or by the next put).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DocrError } from '../../domain/errors.js';
import type { BlobStore } from '../../ports/blob-store.js';

const PARTIAL = '.partial';

export function createFsBlobStore(root: string): BlobStore {
  const base = path.resolve(root);

  /** Maps an opaque key to a path inside `base`; refuses keys that would escape it. */
  function pathOf(key: string): string {
    if (!key || key.includes('\0') || key.split('/').some((s) => s === '' || s === '.' || s === '..')) {
      throw new DocrError('INTERNAL', `invalid blob key "${key}"`);
    }
    return path.join(base, ...key.split('/'));
  }

  async function put(key: string, body: Readable | Buffer, options: { maxBytes?: number } = {}): Promise<number> {
    const target = pathOf(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}${PARTIAL}`;
    let size = 0;
    const max = options.maxBytes ?? Infinity;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) done(new DocrError('PAYLOAD_TOO_LARGE', `the file is larger than ${max} bytes`, { maxBytes: max }));
        else done(null, chunk);
      },
    });
    try {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      await pipeline(source, counter, fs.createWriteStream(tmp, { flags: 'wx' }));
      await fsp.rename(tmp, target);
      return size;
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
  }

  async function exists(p: string): Promise<boolean> {
    try { return (await fsp.stat(p)).isFile(); } catch { return false; }
  }

  async function walk(dir: string, out: string[]): Promise<void> {
    let entries: fs.Dirent[];
    try { entries = await fsp.readdir(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full, out);
      else if (e.isFile() && !e.name.endsWith(PARTIAL)) out.push(path.relative(base, full).split(path.sep).join('/'));
    }
  }

  return {
    put,
    async get(key) {
      const p = pathOf(key);
      return (await exists(p)) ? fs.createReadStream(p) : undefined;
    },
    async download(key, toPath) {
      try {
        await fsp.copyFile(pathOf(key), toPath);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new DocrError('INTERNAL', `blob "${key}" does not exist`, { key, missing: true });
        throw e;
      }
    },
    async stat(key) {
      try {
        const s = await fsp.stat(pathOf(key));
        return s.isFile() ? { size: s.size } : undefined;
      } catch { return undefined; }
    },
    async delete(key) {
      await fsp.rm(pathOf(key), { force: true });
    },
    async list(prefix) {
      const out: string[] = [];
      // Start at the prefix's deepest folder rather than the whole store.
      const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      if (dir.split('/').some((s) => s === '..')) return [];
      await walk(dir ? path.join(base, ...dir.split('/')) : base, out);
      return out.filter((k) => k.startsWith(prefix)).sort();
    },
  };
}
