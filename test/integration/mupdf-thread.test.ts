/**
 * The MuPDF thread seam: errors come back as catalogue codes, a thread that dies mid-call
 * rejects with the caller's crash error, and the pool does not reuse dead or busy threads.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { DocrError } from '../../src/domain/errors.js';
import { resolveOptions } from '../../src/normalisers/options.js';
import { MupdfPool } from '../../src/normalisers/pdf/mupdf-thread.js';
import { CORPUS } from './normalise-corpus.js';

const crash = () => new DocrError('PAGE_FAILED', 'thread gone');

test('errors thrown on the thread arrive as DocrErrors with their codes', async () => {
  const pool = new MupdfPool(resolveOptions());
  const mu = pool.acquire();
  try {
    await assert.rejects(mu.call({ op: 'open', path: path.join(CORPUS, 'hostile/ocrmypdf_invalid.pdf') }, crash),
      (e: DocrError) => e instanceof DocrError && e.code === 'INVALID_FILE');
    await assert.rejects(mu.call({ op: 'load', index: 1 }, crash), (e: DocrError) => e.code === 'INTERNAL');
  } finally {
    await pool.release(mu);
    await pool.close();
  }
});

test('a thread ended mid-call rejects with the crash error and is not reused', async () => {
  const pool = new MupdfPool(resolveOptions());
  const mu = pool.acquire();
  await mu.call({ op: 'open', path: path.join(CORPUS, 'pdf/ocrmypdf_multipage.pdf') }, crash);
  await mu.call({ op: 'prepare' }, crash);
  const rendering = assert.rejects(mu.call({ op: 'render', index: 2 }, crash), // the 9000² px page
    (e: DocrError) => e.code === 'PAGE_FAILED');
  await mu.terminate();
  await rendering;
  await pool.release(mu);
  const next = pool.acquire();
  assert.notEqual(next, mu);
  await pool.release(next);
  await pool.close();
});
