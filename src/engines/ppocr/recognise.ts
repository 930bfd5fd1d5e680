/**
 * Line recognition (PP-OCRv4 SVTR rec, 48 px high, dynamic width, CTC) and the 0°/180°
 * line classifier. One crop per run: batch 1 measured fastest on 2 threads (issue 2), and again
 * on the folded graph at 1 thread: batches of 4 × 640 or 8 × 320 px cost the same CPU per pixel
 * as single runs and 4 × 1280 px 35% more (the convolutions run near peak FLOPs, so there is no
 * per-run overhead to amortise, and larger tensors leave the cache). Per pixel, 960–2240 px
 * wide crops are cheapest; only the 3200 px cap costs ~15% more, too rare to split lines for.
 */
import ort from 'onnxruntime-node';
import type { Raster } from './raster.js';
import type { OrientedBox } from './geometry.js';
import { sampleBox } from './crop.js';
import { ctcCollapse, type DecodedChar } from './ctc.js';
import { wordGaps, type Gap } from './gaps.js';
import { ALL_HEAD, SUBSET_HEAD, SUBSET_INPUT } from './rec-head.js';

const REC_HEIGHT = 48;
/** PaddleOCR pads short crops to this width with neutral grey: the model was trained so. */
const REC_MIN_WIDTH = 320;
const REC_MAX_WIDTH = 3200;
const CLS_HEIGHT = 48, CLS_WIDTH = 192;

export interface LineRead {
  chars: DecodedChar[];
  /** Crop pixels per CTC time step, and the crop width that holds the box. */
  pixelsPerStep: number;
  contentWidth: number;
  /** The box as read (reading direction along `w`). */
  box: OrientedBox;
  /** Blank runs at least a word space wide, in crop pixels. */
  gaps: Gap[];
}

/** The recogniser input's widths for a box: its content (48 px high, aspect kept) and the tensor (padded to at least 320 px). */
export function recWidths(box: OrientedBox): { contentWidth: number; tensorWidth: number } {
  const ratio = box.w / Math.max(1, box.h);
  const contentWidth = Math.max(8, Math.min(REC_MAX_WIDTH, Math.round(REC_HEIGHT * ratio)));
  return { contentWidth, tensorWidth: Math.max(REC_MIN_WIDTH, Math.ceil(contentWidth / 8) * 8) };
}

/** The box resampled into the recogniser's input: 48 px high, its aspect kept, padded to at least 320 px. */
export function recTensor(img: Raster, box: OrientedBox): { tensor: ort.Tensor; data: Float32Array; contentWidth: number; tensorWidth: number } {
  const { contentWidth, tensorWidth } = recWidths(box);
  const data = new Float32Array(3 * REC_HEIGHT * tensorWidth);
  sampleBox(img, box, REC_HEIGHT, contentWidth, tensorWidth, data);
  return { tensor: new ort.Tensor('float32', data, [1, 3, REC_HEIGHT, tensorWidth]), data, contentWidth, tensorWidth };
}

export async function recogniseBox(session: ort.InferenceSession, img: Raster, box: OrientedBox, charset: readonly string[], mask?: Uint8Array): Promise<LineRead> {
  const { tensor, data, contentWidth, tensorWidth } = recTensor(img, box);
  // The session carries best-path heads (rec-head.ts): fetch the one the mask calls for.
  const subset = classSubset(mask);
  const head = mask ? SUBSET_HEAD : ALL_HEAD;
  const input = session.inputNames.find((n) => n !== SUBSET_INPUT)!;
  const result = await session.run({ [input]: tensor, [SUBSET_INPUT]: subset.tensor }, [head.cls, head.prob]);
  const cls = result[head.cls].data as BigInt64Array, prob = result[head.prob].data as Float32Array;
  const steps = prob.length;
  const best = new Int32Array(steps);
  for (let t = 0; t < steps; t++) best[t] = subset.classes ? subset.classes[Number(cls[t])] : Number(cls[t]);
  const chars = ctcCollapse(best, prob, charset);
  tensor.dispose?.(); result[head.cls].dispose?.(); result[head.prob].dispose?.();
  // Measured only when asked for: lines with no Latin pair never need them (words.ts).
  let gaps: Gap[] | undefined;
  return {
    chars, pixelsPerStep: tensorWidth / steps, contentWidth, box,
    get gaps() { return (gaps ??= wordGaps(data, REC_HEIGHT, tensorWidth, contentWidth)); },
  };
}

interface ClassSubset { tensor: ort.Tensor; classes?: Int32Array }
/** Unmasked runs fetch the all-classes head; the subset input still needs a (tiny) value. */
const ALL_CLASSES: ClassSubset = { tensor: new ort.Tensor('int64', BigInt64Array.of(0n), [1]) };
const subsets = new WeakMap<Uint8Array, ClassSubset>();

/** The classes a mask allows, as the subset head's input and its map back to class ids. */
function classSubset(mask: Uint8Array | undefined): ClassSubset {
  if (!mask) return ALL_CLASSES;
  let s = subsets.get(mask);
  if (!s) {
    const classes = Int32Array.from([...mask.keys()].filter((k) => mask[k] === 1));
    s = { tensor: new ort.Tensor('int64', BigInt64Array.from(classes, (k) => BigInt(k)), [classes.length]), classes };
    subsets.set(mask, s);
  }
  return s;
}

/** Probability that the box's content is upside down. */
export async function upsideDownProbability(session: ort.InferenceSession, img: Raster, box: OrientedBox): Promise<number> {
  const contentWidth = Math.max(8, Math.min(CLS_WIDTH, Math.ceil(CLS_HEIGHT * box.w / Math.max(1, box.h))));
  const data = new Float32Array(3 * CLS_HEIGHT * CLS_WIDTH);
  sampleBox(img, box, CLS_HEIGHT, contentWidth, CLS_WIDTH, data);
  const tensor = new ort.Tensor('float32', data, [1, 3, CLS_HEIGHT, CLS_WIDTH]);
  const result = await session.run({ [session.inputNames[0]]: tensor });
  const p = result[session.outputNames[0]].data as Float32Array;
  tensor.dispose?.();
  return p[1];
}
