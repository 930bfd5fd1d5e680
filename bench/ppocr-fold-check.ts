/**
 * Checks that the folded det/rec graphs (src/engines/ppocr/graph-folding.ts) compute what the
 * shipped models compute, on real pages: the detector's probability map and the recogniser's
 * class probabilities on every detected line, original against folded, plus their CPU time.
 * Usage: node --import tsx bench/ppocr-fold-check.ts IMAGE...
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { defaultModelDir } from '../src/engines/ppocr/models.js';
import { foldGraph } from '../src/engines/ppocr/graph-folding.js';
import { decodeRaster } from '../src/engines/ppocr/raster.js';
import { detectText } from '../src/engines/ppocr/detect.js';
import { readingBox, sampleBox } from '../src/engines/ppocr/crop.js';
import { recAgreement } from './lib/rec-agreement.js';

const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'all', enableCpuMemArena: false };
async function pair(file: string): Promise<[ort.InferenceSession, ort.InferenceSession]> {
  const bytes = new Uint8Array(await readFile(path.join(defaultModelDir(), file)));
  const { model, folds } = foldGraph(bytes);
  console.log(`${file}: ${folds} folds`);
  return [await ort.InferenceSession.create(bytes, options), await ort.InferenceSession.create(model, options)];
}
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
async function run(s: ort.InferenceSession, t: ort.Tensor): Promise<[Float32Array, number]> {
  const c0 = cpuMs();
  const out = await s.run({ [s.inputNames[0]]: t });
  return [out[s.outputNames[0]].data as Float32Array, cpuMs() - c0];
}

const [det0, det1] = await pair('ch_PP-OCRv4_det_infer.onnx');
const [rec0, rec1] = await pair('ch_PP-OCRv4_rec_infer.onnx');
let worst = 0, steps = 0, disagree = 0;
const cpu = [0, 0, 0, 0];
for (const file of process.argv.slice(2)) {
  const img = await decodeRaster(await readFile(file));
  // Capture the detector's input tensor by running detection through a recording session.
  let input: ort.Tensor | undefined;
  const recorder = { inputNames: det0.inputNames, outputNames: det0.outputNames, run: async (feeds: Record<string, ort.Tensor>) => {
    const t = feeds[det0.inputNames[0]];
    input = new ort.Tensor('float32', (t.data as Float32Array).slice(), t.dims); // detectText disposes its own
    return det0.run(feeds);
  } };
  const boxes = await detectText(recorder as unknown as ort.InferenceSession, img);
  const [a, ta] = await run(det0, input!), [b, tb] = await run(det1, input!);
  cpu[0] += ta; cpu[1] += tb;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  worst = Math.max(worst, d);
  for (const box of boxes) {
    const rb = readingBox(box);
    const width = Math.max(320, Math.ceil(Math.min(3200, Math.round((48 * rb.w) / Math.max(1, rb.h))) / 8) * 8);
    const data = new Float32Array(3 * 48 * width);
    sampleBox(img, rb, 48, Math.min(width, Math.max(8, Math.round((48 * rb.w) / Math.max(1, rb.h)))), width, data);
    const t = new ort.Tensor('float32', data, [1, 3, 48, width]);
    const [p, tp] = await run(rec0, t), [q, tq] = await run(rec1, t);
    cpu[2] += tp; cpu[3] += tq;
    const agreement = recAgreement(p, q, width / 8);
    worst = Math.max(worst, agreement.worst);
    steps += width / 8; disagree += agreement.disagree;
  }
  console.log(`${file}: ${boxes.length} lines, det max |Δp| ${d.toExponential(1)}`);
}
console.log(`max |Δ| ${worst.toExponential(1)}; rec argmax differs at ${disagree} of ${steps} steps`);
console.log(`CPU ms original → folded: det ${cpu[0].toFixed(0)} → ${cpu[1].toFixed(0)}, rec ${cpu[2].toFixed(0)} → ${cpu[3].toFixed(0)}`);
