/** ORT's optimised graphs are saved once into the model cache, and later sessions start from them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { defaultModelDir } from '../../src/engines/ppocr/models.js';
import { openCachedSession, optimizedModelPath, type CachedSessionSpec } from '../../src/engines/ppocr/session-cache.js';

const CLS = readFileSync(path.join(defaultModelDir(), 'ch_ppocr_mobile_v2.0_cls_infer.onnx'));
const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1 };
const spec: CachedSessionSpec = { name: 'cls', model: new Uint8Array(CLS), modelKey: 'cls-test', options };

function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'docr-session-cache-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** The classifier's scores for one fixed 3×48×192 input. */
async function scores(session: ort.InferenceSession): Promise<number[]> {
  const input = new Float32Array(3 * 48 * 192).map((_, i) => ((i * 7919) % 255) / 255 - 0.5);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, 48, 192]) });
  return [...(out[session.outputNames[0]].data as Float32Array)];
}

test('the optimised graph is saved once; the next session starts from it and answers the same', () => withDir(async (dir) => {
  const first = await openCachedSession(spec, dir);
  const file = optimizedModelPath(spec, dir);
  const saved = statSync(file);
  const second = await openCachedSession(spec, dir);
  assert.equal(statSync(file).mtimeMs, saved.mtimeMs, 'the second session read the saved graph, it did not write it again');
  assert.deepEqual(await scores(second), await scores(first));
  assert.deepEqual(readdirSync(path.join(dir, 'models')), [path.basename(file)], 'one entry, no temporary files');
  await Promise.all([first.release(), second.release()]);
}));

test('a damaged entry is made again', () => withDir(async (dir) => {
  const file = optimizedModelPath(spec, dir);
  await (await openCachedSession(spec, dir)).release();
  writeFileSync(file, 'not a graph');
  const session = await openCachedSession(spec, dir);
  assert.ok(statSync(file).size > 100_000, 'the entry was written again');
  assert.equal((await scores(session)).length, 2);
  await session.release();
}));

test('other options or another graph are other entries; the thread count is not', () => {
  const at = (o: Partial<CachedSessionSpec>) => optimizedModelPath({ ...spec, ...o }, '/cache');
  assert.notEqual(at({ options: { ...options, graphOptimizationLevel: 'extended' } }), at({}));
  assert.notEqual(at({ modelKey: 'another' }), at({}));
  assert.equal(at({ options: { ...options, intraOpNumThreads: 4 } }), at({}));
});

test('an unwritable cache still yields a session', () => withDir(async (dir) => {
  const blocked = path.join(dir, 'file-not-dir');
  writeFileSync(blocked, 'x');
  const session = await openCachedSession(spec, blocked);
  assert.equal((await scores(session)).length, 2);
  await session.release();
}));
