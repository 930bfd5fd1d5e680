/**
 * Exact algebraic simplification of the PP-OCRv4 ONNX graphs, done in memory at load time.
 *
 * The Paddle→ONNX export spells PPLCNetV3's blocks as Conv → Mul(s) → Add(c) (a learnable
 * scalar affine) → hard-swish as Add(3), Clip(0,6), Mul, Div(6) → Mul(s') → Add(c'). ONNX
 * Runtime fuses none of it (its Conv+Mul fusion wants per-channel constants), so every block
 * made eight memory-bound passes and left its NCHWc layout twice; on the recogniser that was
 * about 40% of the time. Rewritten here:
 * - Conv → Mul(s) → Add(c)  ⇒  Conv with weights s·W and bias s·B + c;
 * - Add(3) → Clip(0,6) → Mul(x) → Div(6)  ⇒  Mul(x, HardSigmoid(x; 1/6, 1/2)), which ORT
 *   then fuses into its NCHWc convolution as a hard-swish activation;
 * - Mul(s) → Add(c) → Conv  ⇒  Conv with weights s·W, and bias B + c·ΣW when the kernel is
 *   1×1 without padding; with padding (zeros must stay zeros) the Add stays as Add(c/s).
 * Each rewrite is exact up to float rounding (outputs agree to ~1e-5; bench/ppocr-fold-check.ts).
 * Anything that does not match a pattern exactly (shared tensors, non-scalar constants) is left as is.
 */
import { attrFloat, attrInts, attrString, floatAttr, Graph, type FloatTensor, type GraphNode } from './onnx-graph.js';

/** Conv weights and bias it alone uses, made writable; undefined when shared or not constant. */
function convParams(g: Graph, conv: GraphNode): { w: FloatTensor; b: FloatTensor } | undefined {
  if (conv.op !== 'Conv' || conv.inputs.length < 2) return undefined;
  const w = g.tensor(conv.inputs[1]);
  if (!w || w.dims.length !== 4 || g.soleUse(conv.inputs[1]) !== conv) return undefined;
  if (conv.inputs.length < 3) conv.inputs.push(g.newConstant(conv.inputs[1], { dims: [w.dims[0]], data: new Float32Array(w.dims[0]), dirty: true }));
  const b = g.tensor(conv.inputs[2]);
  if (!b || b.data.length !== w.dims[0] || g.soleUse(conv.inputs[2]) !== conv) return undefined;
  return { w, b };
}

function foldAffineAfterConv(g: Graph, conv: GraphNode): boolean {
  const mul = g.soleUse(conv.outputs[0]);
  if (!mul || mul.op !== 'Mul') return false;
  const s = g.scalarOperand(mul);
  const add = mul && g.soleUse(mul.outputs[0]);
  const c = add && add.op === 'Add' ? g.scalarOperand(add) : undefined;
  if (!s || !c || !add) return false;
  const p = convParams(g, conv);
  if (!p) return false;
  p.w.data.forEach((x, i) => { p.w.data[i] = x * s[1]; });
  p.b.data.forEach((x, i) => { p.b.data[i] = x * s[1] + c[1]; });
  p.w.dirty = p.b.dirty = true;
  mul.removed = add.removed = true;
  g.rewrite(conv, { outputs: [add.outputs[0]] });
  return true;
}

function foldHardSwish(g: Graph, add: GraphNode): boolean {
  const xc = g.scalarOperand(add);
  if (!xc || xc[1] !== 3) return false;
  const x = xc[0];
  const clip = g.soleUse(add.outputs[0]);
  if (!clip || clip.op !== 'Clip') return false;
  const lo = clip.inputs.length > 1 ? g.scalar(clip.inputs[1]) : attrFloat(clip, 'min');
  const hi = clip.inputs.length > 2 ? g.scalar(clip.inputs[2]) : attrFloat(clip, 'max');
  if (lo !== 0 || hi !== 6) return false;
  const mul = g.soleUse(clip.outputs[0]);
  if (!mul || mul.op !== 'Mul' || !mul.inputs.includes(x) || !mul.inputs.includes(clip.outputs[0])) return false;
  const div = g.soleUse(mul.outputs[0]);
  if (!div || div.op !== 'Div' || div.inputs[0] !== mul.outputs[0] || g.scalar(div.inputs[1]) !== 6) return false;
  const gate = `${div.outputs[0]}__hardsigmoid`;
  g.rewrite(add, { op: 'HardSigmoid', inputs: [x], outputs: [gate], attrs: [floatAttr('alpha', 1 / 6), floatAttr('beta', 0.5)] });
  clip.removed = mul.removed = true;
  g.rewrite(div, { op: 'Mul', inputs: [x, gate], attrs: [] });
  return true;
}

function foldAffineBeforeConv(g: Graph, mul: GraphNode): boolean {
  const s = g.scalarOperand(mul);
  if (!s || s[1] === 0) return false;
  const add = g.soleUse(mul.outputs[0]);
  const c = add && add.op === 'Add' ? g.scalarOperand(add) : undefined;
  const conv = add && g.soleUse(add.outputs[0]);
  if (!add || !c || !conv || conv.inputs[0] !== add.outputs[0]) return false;
  const p = convParams(g, conv);
  if (!p) return false;
  const [cout, , kh, kw] = p.w.dims;
  const pads = attrInts(conv, 'pads') ?? [0, 0, 0, 0];
  const autoPad = attrString(conv, 'auto_pad');
  const unpadded = kh === 1 && kw === 1 && pads.every((v) => v === 0) && (!autoPad || autoPad === 'NOTSET');
  if (unpadded) {
    const per = p.w.data.length / cout;
    for (let o = 0; o < cout; o++) {
      let sum = 0;
      for (let i = o * per; i < (o + 1) * per; i++) sum += p.w.data[i];
      p.b.data[o] += c[1] * sum;
    }
    mul.removed = add.removed = true;
    g.rewrite(conv, { inputs: [s[0], ...conv.inputs.slice(1)] });
  } else {
    mul.removed = true;
    g.rewrite(add, { inputs: [s[0], g.newConstant(add.outputs[0], { dims: [1], data: Float32Array.of(c[1] / s[1]), dirty: true })] });
  }
  p.w.data.forEach((x, i) => { p.w.data[i] = x * s[1]; });
  p.w.dirty = p.b.dirty = true;
  return true;
}

/** Rewrites the model's graph; returns the model unchanged when nothing matched. */
export function foldGraph(model: Uint8Array): { model: Uint8Array; folds: number } {
  const g = Graph.parse(model);
  if (!g) return { model, folds: 0 };
  let folds = 0;
  for (const n of g.nodes) if (!n.removed && n.op === 'Conv' && foldAffineAfterConv(g, n)) folds++;
  for (const n of g.nodes) if (!n.removed && n.op === 'Add' && foldHardSwish(g, n)) folds++;
  for (const n of g.nodes) if (!n.removed && n.op === 'Mul' && foldAffineBeforeConv(g, n)) folds++;
  return folds === 0 ? { model, folds } : { model: g.serialize(), folds };
}
