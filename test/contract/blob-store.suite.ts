/**
 * The BlobStore contract (src/ports/blob-store.ts), written once and run against every
 * backend: round trips from streams and buffers, missing keys, the size cap (nothing left
 * behind), listing by prefix, and streaming both ways without holding a blob in memory.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { DocrError } from '../../src/domain/errors.js';
import type { BlobStore } from '../../src/ports/blob-store.js';

const MB = 1024 * 1024;

/** `total` bytes made 64 KiB at a time, only as fast as they are read. */
function generated(total: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) { this.push(null); return; }
      const n = Math.min(64 * 1024, total - sent);
      this.push(Buffer.alloc(n, sent % 251));
      sent += n;
    },
  });
}

/** Runs `work` and returns how far this process's memory (heap + buffers) rose above its start at most. */
async function peakGrowth(work: () => Promise<void>): Promise<number> {
  const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const start = used();
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, used() - start); }, 5);
  try { await work(); } finally { clearInterval(timer); }
  return Math.max(peak, used() - start);
}

export function describeBlobStore(name: string, factory: () => Promise<{ blobs: BlobStore; close(): Promise<void> }>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let blobs: BlobStore;
    let close: () => Promise<void>;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-blob-suite-'));
    after(async () => { await close?.(); fs.rmSync(tmp, { recursive: true, force: true }); });
    const ready = async () => { if (!blobs) ({ blobs, close } = await factory()); return blobs; };

    it('stores from a stream and from a buffer, and reads back the same bytes', async () => {
      const b = await ready();
      const body = Buffer.from('hello, blob store\n'.repeat(1000));
      assert.equal(await b.put('inputs/a', Readable.from([body.subarray(0, 7), body.subarray(7)])), body.length);
      assert.equal(await b.put('results/a.txt', body, { contentType: 'text/plain' }), body.length);
      assert.deepEqual(await buffer((await b.get('inputs/a'))!), body);
      assert.deepEqual(await b.stat('results/a.txt'), { size: body.length });
      const file = path.join(tmp, 'a');
      await b.download('results/a.txt', file);
      assert.deepEqual(fs.readFileSync(file), body);
    });

    it('stores an empty blob', async () => {
      const b = await ready();
      assert.equal(await b.put('inputs/empty', Buffer.alloc(0)), 0);
      assert.deepEqual(await b.stat('inputs/empty'), { size: 0 });
      assert.equal((await buffer((await b.get('inputs/empty'))!)).length, 0);
    });

    it('answers missing keys with undefined, deletes them quietly, and refuses to download them', async () => {
      const b = await ready();
      assert.equal(await b.get('inputs/missing'), undefined);
      assert.equal(await b.stat('inputs/missing'), undefined);
      await b.delete('inputs/missing');
      await assert.rejects(b.download('inputs/missing', path.join(tmp, 'missing')),
        (e: unknown) => e instanceof DocrError && e.code === 'INTERNAL' && e.details.missing === true);
    });

    it('refuses a body over maxBytes with PAYLOAD_TOO_LARGE and leaves nothing under the key', async () => {
      const b = await ready();
      await assert.rejects(b.put('inputs/big', generated(3 * MB), { maxBytes: 2 * MB }),
        (e: unknown) => e instanceof DocrError && e.code === 'PAYLOAD_TOO_LARGE');
      assert.equal(await b.stat('inputs/big'), undefined);
      assert.deepEqual((await b.list('inputs/')).filter((k) => k.startsWith('inputs/big')), []);
      assert.equal(await b.put('inputs/big', generated(2 * MB), { maxBytes: 2 * MB }), 2 * MB, 'exactly the cap is fine');
    });

    it('overwrites a key, deletes it, and lists keys under a prefix in order', async () => {
      const b = await ready();
      await b.put('list/x/2', Buffer.from('one'));
      await b.put('list/x/2', Buffer.from('two!'));
      await b.put('list/x/1', Buffer.from('1'));
      await b.put('list/y', Buffer.from('y'));
      assert.deepEqual(await b.stat('list/x/2'), { size: 4 });
      assert.deepEqual(await b.list('list/x/'), ['list/x/1', 'list/x/2']);
      await b.delete('list/x/1');
      assert.deepEqual(await b.list('list/'), ['list/x/2', 'list/y']);
    });

    it('streams a large blob in and out without holding it in memory', async () => {
      const b = await ready();
      const size = 192 * MB; // large enough that the parts in flight and uncollected garbage stay well under half
      const stored = await peakGrowth(async () => { assert.equal(await b.put('inputs/large', generated(size)), size); });
      let read = 0;
      const fetched = await peakGrowth(async () => { for await (const chunk of (await b.get('inputs/large'))!) read += (chunk as Buffer).length; });
      assert.equal(read, size);
      assert.ok(stored < size / 2, `put held ${Math.round(stored / MB)} MiB of a ${size / MB} MiB blob`);
      assert.ok(fetched < size / 2, `get held ${Math.round(fetched / MB)} MiB of a ${size / MB} MiB blob`);
      await b.delete('inputs/large');
    });
  });
}
