/**
 * Measures the activation ranges the int8 recogniser is quantised with (src/engines/ppocr/quantize.ts)
 * and writes them to src/engines/ppocr/rec.ranges.json. Usage:
 *   node --import tsx bench/quant-calibrate.ts [--out FILE] [--synthetic N] [IMAGE...]
 * --synthetic N adds N generated text images (bench/lib/synthetic-pages.ts): the committed ranges
 * come from those alone, so the corpus that scores the quantised model is not what it was fitted to.
 * Each image goes through docr's own detection and orientation; every detected line is read by the
 * float recogniser with the quantised tensors exposed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { loadModels, defaultModelDir } from '../src/engines/ppocr/models.js';
import { decodeRaster } from '../src/engines/ppocr/raster.js';
import { detectText } from '../src/engines/ppocr/detect.js';
import { orientPage } from '../src/engines/ppocr/orientation.js';
import { readingBox } from '../src/engines/ppocr/crop.js';
import { recTensor } from '../src/engines/ppocr/recognise.js';
import { foldGraph } from '../src/engines/ppocr/graph-folding.js';
import { syntheticPages } from './lib/synthetic-pages.js';
import { flooredOutputs, HARD_SWISH_FLOOR, quantisedActivations, withTensorOutputs, type Ranges } from '../src/engines/ppocr/quantize.js';

const args = process.argv.slice(2);
const synthetic = args.includes('--synthetic') ? Number(args.splice(args.indexOf('--synthetic'), 2)[1]) : 0;
const out = args.includes('--out') ? args.splice(args.indexOf('--out'), 2)[1] : new URL('../src/engines/ppocr/rec.ranges.json', import.meta.url).pathname;
const models = await loadModels({ threads: 2, precision: 'float' });
const folded = foldGraph(new Uint8Array(await readFile(path.join(defaultModelDir(), 'ch_PP-OCRv4_rec_infer.onnx')))).model;
const acts = quantisedActivations(folded);
/** Values below the hard-swish's floor all quantise to it (quantize.ts): measure them as such. */
const floored = new Set(flooredOutputs(folded));
const session = await ort.InferenceSession.create(withTensorOutputs(folded, acts), { executionProviders: ['cpu'], intraOpNumThreads: 2, graphOptimizationLevel: 'all', enableCpuMemArena: false });
/** Every detected line of every image, as recogniser input. */
const crops: ort.Tensor[] = [];
const images: [string, Buffer][] = [
  ...await Promise.all(args.map(async (f) => [f, await readFile(f)] as [string, Buffer])),
  ...(await syntheticPages(synthetic, models.charset)).map((b, i) => [`synthetic ${i + 1}`, b] as [string, Buffer]),
];
for (const [file, data] of images) {
  const raster = await decodeRaster(data);
  const { raster: upright, boxes } = await orientPage(models, raster, await detectText(models.det, raster), () => {});
  for (const box of boxes) crops.push(recTensor(upright, readingBox(box)).tensor);
  console.error(`${file}: ${boxes.length} lines`);
}
await models.det.release(); await models.rec.release(); await models.cls.release();

/** Runs every crop, handing each exposed tensor's values to `visit`. */
async function sweep(visit: (name: string, values: Float32Array) => void) {
  for (const tensor of crops) {
    const result = await session.run({ [session.inputNames[0]]: tensor }, acts);
    for (const a of acts) {
      const values = result[a].data as Float32Array;
      if (floored.has(a)) for (let i = 0; i < values.length; i++) if (values[i] < HARD_SWISH_FLOOR) values[i] = HARD_SWISH_FLOOR;
      visit(a, values);
    }
  }
}

// Pass 1: extremes. Pass 2: a histogram over them, from which the range with the least expected
// squared quantisation error (rounding inside, clipping outside) is chosen: plain min/max spends
// the 256 levels on rare outliers, and measured worse (CER) than the error-minimising range.
const extremes: Ranges = {};
console.error(`${crops.length} lines`);
await sweep((a, d) => {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < d.length; i++) { const v = d[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
  const r = extremes[a];
  extremes[a] = r ? [Math.min(r[0], lo), Math.max(r[1], hi)] : [lo, hi];
});
const BINS = 4096;
const hist = new Map(acts.map((a) => [a, new Float64Array(BINS)]));
await sweep((a, d) => {
  const [lo, hi] = extremes[a], h = hist.get(a)!, k = (BINS - 1) / Math.max(1e-12, hi - lo);
  // A strided sample of the values: the histogram's shape, at a seventh of the cost.
  for (let i = 0; i < d.length; i += 7) h[Math.round((d[i] - lo) * k)]++;
});
console.error('histograms done');
const ranges: Ranges = {};
for (const a of acts) ranges[a] = bestRange(hist.get(a)!, extremes[a]);

/** The [min, max] (holding 0, within the extremes) minimising the expected squared error of uint8 quantisation. */
function bestRange(h: Float64Array, [lo, hi]: [number, number]): [number, number] {
  const width = (hi - lo) / (BINS - 1);
  // Prefix sums of n, n·v, n·v² give each candidate's clipping error in O(1).
  const n = new Float64Array(BINS + 1), nv = new Float64Array(BINS + 1), nv2 = new Float64Array(BINS + 1);
  for (let i = 0; i < BINS; i++) {
    const v = lo + i * width;
    n[i + 1] = n[i] + h[i]; nv[i + 1] = nv[i] + h[i] * v; nv2[i + 1] = nv2[i] + h[i] * v * v;
  }
  const bin = (v: number) => Math.min(BINS, Math.max(0, Math.ceil((v - lo) / width)));
  /** Σ n·(v − q)² over bins [i, j). */
  const sq = (i: number, j: number, q: number) => (nv2[j] - nv2[i]) - 2 * q * (nv[j] - nv[i]) + q * q * (n[j] - n[i]);
  let best: [number, number] = [Math.min(0, lo), Math.max(0, hi)], bestErr = Infinity;
  for (let a = 0.02; a <= 1.0001; a += 0.01) {
    for (let b = 0.02; b <= 1.0001; b += 0.01) {
      const qlo = Math.min(0, lo * a), qhi = Math.max(0, hi * b), step = (qhi - qlo) / 255;
      const i = bin(qlo), j = bin(qhi);
      const err = sq(0, i, qlo) + sq(j, BINS, qhi) + (n[j] - n[i]) * step * step / 12;
      if (err < bestErr) { bestErr = err; best = [qlo, qhi]; }
    }
  }
  return best;
}

await writeFile(out, `${JSON.stringify(ranges, null, 1)}\n`);
console.log(`${crops.length} lines from ${images.length} images; ${acts.length} tensors → ${out}`);
