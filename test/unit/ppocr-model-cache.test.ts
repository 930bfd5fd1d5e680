/** Prepared PP-OCR graphs are built once and kept on disk, keyed by what they are made from. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelCacheDir, preparedModel } from '../../src/engines/ppocr/model-cache.js';

function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'docr-model-cache-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('a prepared model is built once, then read from the cache; another source or recipe builds afresh', () => withDir(async (dir) => {
  let builds = 0;
  const spec = (source: number[], recipe: string) => ({
    name: 'det', source: Uint8Array.from(source), recipe,
    build: (src: Uint8Array) => { builds++; return Uint8Array.from([...src, builds]); },
  });
  const first = await preparedModel(spec([1, 2], 'fold'), dir);
  const again = await preparedModel(spec([1, 2], 'fold'), dir);
  assert.deepEqual([...again], [...first], 'the cached bytes are the built ones');
  assert.equal(builds, 1, 'the second start reads the cache');
  await preparedModel(spec([1, 3], 'fold'), dir);
  await preparedModel(spec([1, 2], 'fold+int8'), dir);
  assert.equal(builds, 3, 'a new source or recipe is a new entry');
  assert.equal(readdirSync(path.join(dir, 'models')).filter((f) => f.endsWith('.onnx')).length, 3);
  assert.deepEqual(readdirSync(path.join(dir, 'models')).filter((f) => f.endsWith('.tmp')), [], 'no temporary files left');
}));

test('an unwritable cache still yields the model (built in memory)', () => withDir(async (dir) => {
  const blocked = path.join(dir, 'file-not-dir');
  // A file where the cache dir should be: mkdir fails whoever runs the test (root included).
  writeFileSync(blocked, 'x');
  const model = await preparedModel({ name: 'rec', source: Uint8Array.of(7), recipe: 'r', build: () => Uint8Array.of(9) }, blocked);
  assert.deepEqual([...model], [9]);
}));

test('the cache dir follows DOCR_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
  assert.equal(modelCacheDir({ DOCR_CACHE_DIR: '/srv/docr-cache' }), '/srv/docr-cache');
  assert.equal(modelCacheDir({ XDG_CACHE_HOME: '/var/cache/u' }), '/var/cache/u/docr');
  assert.match(modelCacheDir({ XDG_CACHE_HOME: 'relative' }), /\/\.cache\/docr$/, 'a relative XDG_CACHE_HOME is ignored, as the spec says');
  assert.match(modelCacheDir({}), /\/\.cache\/docr$/);
});
