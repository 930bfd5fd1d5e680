/**
 * The det/rec graphs are rewritten at load (src/engines/ppocr/graph-folding.ts) for speed; the
 * rewrite must be exact: on a real text line and a real page, the folded graphs compute what
 * the shipped models compute (same recognised class at every step, probabilities within 1e-3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { defaultModelDir } from '../../src/engines/ppocr/models.js';
import { foldGraph } from '../../src/engines/ppocr/graph-folding.js';
import { corpusPath } from '../fixtures/corpus.js';
import { recAgreement } from '../../bench/lib/rec-agreement.js';

const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'all', enableCpuMemArena: false };

async function sessions(file: string): Promise<{ original: ort.InferenceSession; folded: ort.InferenceSession; folds: number }> {
  const bytes = new Uint8Array(await readFile(path.join(defaultModelDir(), file)));
  const { model, folds } = foldGraph(bytes);
  return { original: await ort.InferenceSession.create(bytes, options), folded: await ort.InferenceSession.create(model, options), folds };
}

/** An image as a normalised NCHW tensor ((v/255 - 0.5) / 0.5), resized to `height` × `width`. */
async function tensorOf(file: string, height: number, width: number): Promise<ort.Tensor> {
  const { data } = await sharp(corpusPath(file)).flatten({ background: '#fff' }).removeAlpha().resize(width, height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const out = new Float32Array(3 * height * width);
  for (let i = 0; i < height * width; i++) for (let c = 0; c < 3; c++) out[c * height * width + i] = (data[i * 3 + c] / 255 - 0.5) / 0.5;
  return new ort.Tensor('float32', out, [1, 3, height, width]);
}

async function outputs(s: ort.InferenceSession, t: ort.Tensor): Promise<Float32Array> {
  const out = await s.run({ [s.inputNames[0]]: t });
  return out[s.outputNames[0]].data as Float32Array;
}

test('the folded recogniser reads a real line exactly as the shipped one', async () => {
  const { original, folded, folds } = await sessions('ch_PP-OCRv4_rec_infer.onnx');
  assert.ok(folds > 0, 'the rewrite found something to fold');
  const t = await tensorOf('images-en/ocropy_1241-010032.png', 48, 960);
  const [p, q] = [await outputs(original, t), await outputs(folded, t)];
  assert.equal(p.length, q.length);
  const { worst, disagree } = recAgreement(p, q, 960 / 8);
  assert.equal(disagree, 0);
  assert.ok(worst < 1e-3, `max |Δp| ${worst}`);
  await Promise.all([original.release(), folded.release()]);
});

test('the folded detector gives the shipped one\'s probability map on a real page', async () => {
  const { original, folded } = await sessions('ch_PP-OCRv4_det_infer.onnx');
  const t = await tensorOf('images-en/tessjs_testocr.png', 480, 640);
  const [p, q] = [await outputs(original, t), await outputs(folded, t)];
  let worst = 0;
  for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - q[i]));
  assert.ok(worst < 1e-3, `max |Δp| ${worst}`);
  await Promise.all([original.release(), folded.release()]);
});
