/**
 * Text detection with PP-OCRv4's DB model: page → probability map → oriented line boxes.
 * The input size is bounded by the long side (960 px was as accurate as larger sizes on real
 * pages) but never shrinks the short side below 640 px, so long thin scanned lines stay legible,
 * and tiny images are padded and enlarged so they are not lost (issue 2's measured failures).
 */
import sharp from 'sharp';
import ort from 'onnxruntime-node';
import type { Raster } from './raster.js';
import { corners, minAreaBox, unclip, type OrientedBox, type Point } from './geometry.js';

export interface DetectOptions {
  maxLongSide: number;
  minShortSide: number;
  /** Pixel threshold on the probability map. */
  binaryThreshold: number;
  /** Mean probability a region needs to count as text. */
  boxThreshold: number;
  unclipRatio: number;
  maxPixels: number;
}

export const DEFAULT_DETECT: DetectOptions = {
  maxLongSide: 960, minShortSide: 640, binaryThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, maxPixels: 3_200_000,
};

export interface DetectedBox extends OrientedBox {
  score: number;
}

interface DetInput {
  tensor: ort.Tensor;
  /** Scale from padded source pixels to detector pixels, per axis. */
  sx: number;
  sy: number;
  pad: number;
}

function detectorScale(w: number, h: number, o: DetectOptions): number {
  const long = Math.max(w, h), short = Math.min(w, h);
  let s = Math.min(1, o.maxLongSide / long);
  s = Math.max(s, Math.min(1, o.minShortSide / short));
  s = Math.max(s, Math.min(4, 96 / short)); // tiny crops: enlarge so glyphs span several map pixels
  if (w * h * s * s > o.maxPixels) s = Math.sqrt(o.maxPixels / (w * h));
  return s;
}

async function prepare(img: Raster, o: DetectOptions): Promise<DetInput> {
  // A margin lets DB find text that touches the image edge (single-line crops).
  const pad = Math.min(img.width, img.height) < 400 ? Math.max(8, Math.round(0.2 * Math.min(img.width, img.height))) : 0;
  const pw = img.width + 2 * pad, ph = img.height + 2 * pad;
  const s = detectorScale(pw, ph, o);
  const tw = Math.max(32, Math.round((pw * s) / 32) * 32);
  const th = Math.max(32, Math.round((ph * s) / 32) * 32);
  let src: Buffer | Uint8Array = img.data;
  if (pad > 0) {
    // Separate pass: sharp always resizes before it extends, whatever the call order.
    src = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
      .extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' }).raw().toBuffer();
  }
  const px = await sharp(src, { raw: { width: pw, height: ph, channels: 3 } })
    .resize(tw, th, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  const n = tw * th;
  const data = new Float32Array(3 * n);
  // Channels in BGR order with ImageNet statistics, as the model was trained (OpenCV loading).
  const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
  for (let c = 0; c < 3; c++) {
    const src = 2 - c, m = mean[c] * 255, k = 1 / (std[c] * 255), off = c * n;
    for (let i = 0; i < n; i++) data[off + i] = (px[i * 3 + src] - m) * k;
  }
  return { tensor: new ort.Tensor('float32', data, [1, 3, th, tw]), sx: tw / pw, sy: th / ph, pad };
}

/** Connected regions of the binarised map, each as hull-relevant points plus its mean probability. */
function regions(prob: Float32Array, w: number, h: number, thr: number): { points: Point[]; score: number }[] {
  const labels = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  const sums: number[] = [], counts: number[] = [];
  let next = 0;
  for (let i = 0; i < w * h; i++) {
    if (labels[i] !== 0 || prob[i] <= thr) continue;
    next++;
    let sp = 0, sum = 0, count = 0;
    stack[sp++] = i; labels[i] = next;
    while (sp > 0) {
      const p = stack[--sp];
      sum += prob[p]; count++;
      const x = p % w, y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (labels[q] === 0 && prob[q] > thr) { labels[q] = next; stack[sp++] = q; }
        }
      }
    }
    sums.push(sum); counts.push(count);
  }
  // Per row, the leftmost and rightmost pixel of each region are all the hull needs.
  const rowMin = new Int32Array(next + 1).fill(-1), rowMax = new Int32Array(next + 1), lastRow = new Int32Array(next + 1).fill(-1);
  const pts: Point[][] = Array.from({ length: next + 1 }, () => []);
  const flush = (l: number) => {
    const y = lastRow[l];
    pts[l].push([rowMin[l], y], [rowMax[l] + 1, y], [rowMin[l], y + 1], [rowMax[l] + 1, y + 1]);
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = labels[y * w + x];
      if (l === 0) continue;
      if (lastRow[l] !== y) {
        if (lastRow[l] >= 0) flush(l);
        lastRow[l] = y; rowMin[l] = x;
      }
      rowMax[l] = x;
    }
  }
  const out: { points: Point[]; score: number }[] = [];
  for (let l = 1; l <= next; l++) {
    if (lastRow[l] >= 0) flush(l);
    out.push({ points: pts[l], score: sums[l - 1] / counts[l - 1] });
  }
  return out;
}

export async function detectText(session: ort.InferenceSession, img: Raster, o: DetectOptions = DEFAULT_DETECT): Promise<DetectedBox[]> {
  const input = await prepare(img, o);
  const [, , th, tw] = input.tensor.dims as number[];
  const result = await session.run({ [session.inputNames[0]]: input.tensor });
  const prob = result[session.outputNames[0]].data as Float32Array;
  const boxes: DetectedBox[] = [];
  for (const r of regions(prob, tw, th, o.binaryThreshold)) {
    if (r.score < o.boxThreshold) continue;
    const raw = minAreaBox(r.points);
    if (Math.min(raw.w, raw.h) < 3) continue;
    const grown = unclip(raw, o.unclipRatio);
    if (Math.min(grown.w, grown.h) < 5) continue;
    const back = corners(grown).map(([x, y]) => [x / input.sx - input.pad, y / input.sy - input.pad] as Point);
    const box = minAreaBox(back);
    boxes.push({ ...box, score: r.score });
    if (boxes.length >= 2000) break;
  }
  input.tensor.dispose?.();
  return boxes;
}
