/**
 * Static int8 quantisation of the recogniser's convolutions, done in memory at load time from
 * activation ranges measured once offline (bench/quant-calibrate.ts → rec.ranges.json).
 *
 * The graph is put in "QDQ" form — every quantised operator reads DequantizeLinear'd inputs and
 * feeds a QuantizeLinear — which ONNX Runtime fuses into integer operators on u8×s8 kernels
 * (VNNI where the CPU has it): Conv → QLinearConv, Add → QLinearAdd, Mul → QLinearMul.
 * - pointwise (1×1) convolutions, about 80% of the recogniser's arithmetic, and the depthwise
 *   ones of the later stages (MIN_DEPTHWISE_CHANNELS): weights symmetric int8 per output
 *   channel (scale max|W|/127), bias int32 at s_x·s_w, input and output uint8 per tensor over
 *   the calibrated range (holding 0; depthwise outputs floored at -3, flooredOutputs);
 * - the hard-swish after each, x·HardSigmoid(x), becomes x · clip(x+3, 0, 6)/6 with the clip done
 *   by the saturation of a uint8 quantisation over [0, 6], read back at scale 1/255 (the /6): two
 *   integer element-wise passes instead of a float round trip;
 * - the blocks' learnable offsets Add(hard-swish, c) that follow are read by the hard-swish
 *   output's DequantizeLinear, its zero point shifted by c (offsetParams): one float pass less
 *   a block (~5 % of the recogniser's CPU time).
 * - the 6,625-class head (quantizeClassifier) runs on int8 weights, its input quantised per run.
 * Together with the later depthwise convolutions, whole blocks then run in integers, without the
 * float layout conversions between them: ~14 % less CPU than pointwise-only int8, corpus CER
 * unchanged. Measured and left in float: the four early depthwise convolutions (quantised, the
 * Chinese lines lost 3–6 CER points: their outputs span a wide range), the squeeze-excite and
 * neck convolutions (cheap).
 * Every consumer of a quantised tensor reads its dequantised copy, so a producer's only
 * consumer is its QuantizeLinear (the fusions need that). The PP-OCR exports are opset 9/11,
 * below the per-channel DequantizeLinear of opset 13, so the Q/DQ nodes are ONNX Runtime's
 * com.microsoft ones, which its QDQ fusions accept alike; the opset-9 recogniser is moved to
 * opset 10, where the fused QLinearConv exists (only its Slice nodes change form).
 */
import { attrFloat, attrInt64s, attrInts, constantNode, floatBytes, Graph, int32Bytes, int64Bytes, intAttr, FLOAT, INT32, INT64, INT8, MS_DOMAIN, UINT8, type GraphNode } from './onnx-graph.js';

/**
 * Depthwise convolutions are quantised from this many channels on (the backbone's later
 * stages, 128–480 channels): quantising the four narrower early ones as well cost 3–6 CER
 * points on the corpus's Chinese lines, these cost none measurable.
 */
const MIN_DEPTHWISE_CHANNELS = 128;

export type Ranges = Record<string, [number, number]>;

interface QuantParams { scale: number; zeroPoint: number }

interface Plan {
  convs: GraphNode[];
  /** Hard-swish pairs: HardSigmoid(x) and the Mul(x, gate) reading it. */
  swishes: { gate: GraphNode; mul: GraphNode }[];
}

/**
 * What is quantised: the backbone's pointwise and later depthwise convolutions (constant
 * weights and bias, output into a hard-swish; not the squeeze-excite ones, which run on 1×1
 * maps after a pooling or ReLU) and those hard-swishes.
 */
function plan(g: Graph, ranges?: Ranges): Plan {
  const has = (t: string) => !ranges || ranges[t] !== undefined;
  const outputs = new Set(g.outputNames());
  const convs = g.nodes.filter((n) => {
    if (n.removed || n.op !== 'Conv' || n.inputs.length < 2 || outputs.has(n.outputs[0])) return false;
    const w = g.tensor(n.inputs[1]);
    if (!w || w.dims.length !== 4 || (n.inputs.length >= 3 && n.inputs[2] !== '' && !g.tensor(n.inputs[2]))) return false;
    const from = g.producer.get(n.inputs[0])?.op;
    const group = attrInts(n, 'group')?.[0] ?? 1;
    const depthwise = group > 1 && group === w.dims[0] && w.dims[1] === 1 && group >= MIN_DEPTHWISE_CHANNELS;
    if (group !== 1 && !depthwise) return false;
    return from !== 'GlobalAveragePool' && from !== 'Relu' && feedsHardSwish(g, n.outputs[0]) && has(n.inputs[0]) && has(n.outputs[0]);
  });
  const quantised = new Set(convs.map((n) => n.outputs[0]));
  const swishes: Plan['swishes'] = [];
  for (const gate of g.nodes) {
    if (gate.removed || gate.op !== 'HardSigmoid' || !quantised.has(gate.inputs[0])) continue;
    if (Math.abs((attrFloat(gate, 'alpha') ?? 0.2) - 1 / 6) > 1e-6 || Math.abs((attrFloat(gate, 'beta') ?? 0.5) - 0.5) > 1e-6) continue;
    const mul = g.soleUse(gate.outputs[0]);
    if (!mul || mul.op !== 'Mul' || !mul.inputs.includes(gate.inputs[0]) || outputs.has(mul.outputs[0]) || !has(mul.outputs[0])) continue;
    swishes.push({ gate, mul });
    quantised.add(mul.outputs[0]);
  }
  return { convs, swishes };
}

/** Whether x's consumers are exactly a hard-swish: HardSigmoid(x) and Mul(x, that). */
function feedsHardSwish(g: Graph, x: string): boolean {
  const uses = (g.uses.get(x) ?? []).filter((n) => !n.removed);
  const gate = uses.find((n) => n.op === 'HardSigmoid');
  return uses.length === 2 && gate !== undefined && uses.some((n) => n.op === 'Mul' && n.inputs.includes(gate.outputs[0]));
}

/** Tensors whose ranges calibration must measure. */
export function quantisedActivations(model: Uint8Array): string[] {
  const g = Graph.parse(model);
  if (!g) return [];
  const p = plan(g);
  return [...new Set([
    ...p.convs.flatMap((n) => [n.inputs[0], n.outputs[0]]),
    ...p.swishes.map((s) => s.mul.outputs[0]),
  ])];
}

/**
 * The quantised depthwise convolutions' outputs: each feeds only a hard-swish, which is 0 below
 * -3, so their (wide) ranges start at -3 at the lowest, for finer steps where the hard-swish
 * bends. The pointwise outputs keep their measured ranges: floored as well, they changed single
 * characters on the corpus's Chinese pages (一 → —, 75,103 → 75.103) for no CER gain.
 */
export function flooredOutputs(model: Uint8Array): string[] {
  const g = Graph.parse(model);
  return g ? plan(g).convs.filter((n) => isDepthwise(n)).map((n) => n.outputs[0]) : [];
}
const isDepthwise = (n: GraphNode) => (attrInts(n, 'group')?.[0] ?? 1) > 1;
export const HARD_SWISH_FLOOR = -3;

/** The model with these tensors added as float outputs (for calibration runs). */
export function withTensorOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  const g = Graph.parse(model);
  if (!g) throw new Error('model has no graph');
  for (const n of names) g.extraOutputs.push([n, FLOAT]);
  return g.serialize();
}

function activationParams([lo, hi]: [number, number]): QuantParams {
  const min = Math.min(0, lo), max = Math.max(0, hi);
  const scale = max > min ? (max - min) / 255 : 1;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-min / scale))) };
}

/** The block's learnable offset after a hard-swish: x's only consumer is Add(x, c) with c a scalar constant. */
function constantOffsetAfter(g: Graph, x: string): { add: GraphNode; c: number } | undefined {
  const add = g.soleUse(x);
  if (!add || add.op !== 'Add' || add.inputs.length !== 2 || g.outputNames().includes(add.outputs[0])) return undefined;
  const c = g.tensor(add.inputs[add.inputs[0] === x ? 1 : 0]);
  return c && c.data.length === 1 && c.data[0] !== 0 ? { add, c: c.data[0] } : undefined;
}

/**
 * Quantisation of x for a DequantizeLinear that reads x + c, which removes the float Add(x, c)
 * pass (about a tenth of the int8 recogniser's time): the stored range is widened to hold -c
 * and its scale made c/k for a whole k (rounded so the steps only grow), so the reading zero
 * point zp − k is exact. Undefined when that would make the steps over MAX_STEP_GROWTH times
 * coarser (an offset of a step or two): the Add stays.
 */
function offsetParams(range: [number, number], c: number): { q: QuantParams; read: QuantParams } | undefined {
  const base = activationParams([Math.min(range[0], -c), Math.max(range[1], -c)]);
  const k = c > 0 ? Math.floor(c / base.scale) : Math.ceil(c / base.scale);
  if (k === 0 || c / base.scale / k > MAX_STEP_GROWTH) return undefined;
  const scale = c / k;
  const zeroPoint = Math.round(-Math.min(0, range[0], -c) / scale);
  if (zeroPoint < 0 || zeroPoint > 255 || zeroPoint - k < 0 || zeroPoint - k > 255) return undefined;
  return { q: { scale, zeroPoint }, read: { scale, zeroPoint: zeroPoint - k } };
}
/** How much coarser the steps may get for the offset to be absorbed (a 1.5-step offset would need 1.5×). */
const MAX_STEP_GROWTH = 1.15;

export function quantizeModel(model: Uint8Array, ranges: Ranges): { model: Uint8Array; convs: number } {
  const g = Graph.parse(model);
  if (!g) return { model, convs: 0 };
  const { convs, swishes } = plan(g, ranges);
  if (convs.length === 0) return { model, convs: 0 };
  const consts: GraphNode[] = [];
  const after = new Map<GraphNode | undefined, GraphNode[]>(); // Q/DQ pairs go right after their producer
  const dequantised = new Map<string, { name: string; q: QuantParams }>();
  const ms = (op: string) => `${MS_DOMAIN}:${op}`;
  const place = (producer: GraphNode | undefined, ...nodes: GraphNode[]) => after.set(producer, [...(after.get(producer) ?? []), ...nodes]);
  const constant = (hint: string, dims: number[], type: number, raw: Uint8Array) => {
    const name = g.newName(hint);
    consts.push(constantNode(name, dims, type, raw));
    return name;
  };
  const params = (hint: string, q: QuantParams) =>
    [constant(`${hint}_scale`, [], FLOAT, floatBytes([q.scale])), constant(`${hint}_zp`, [], UINT8, Uint8Array.of(q.zeroPoint))];

  /** Q→DQ on tensor t (once); `read` differs from `q` only for the hard-swish gate (its /6). */
  const fakeQuant = (t: string, q = activationParams(ranges[t]), read = q) => {
    if (dequantised.has(t)) return dequantised.get(t)!;
    const qName = g.newName(`${t}_quantized`), dqName = g.newName(`${t}_dequantized`);
    const [qs, qz] = params(t, q);
    const [ds, dz] = read === q ? [qs, qz] : params(`${t}_read`, read);
    place(g.producer.get(t),
      { op: ms('QuantizeLinear'), inputs: [t, qs, qz], outputs: [qName], attrs: [] },
      { op: ms('DequantizeLinear'), inputs: [qName, ds, dz], outputs: [dqName], attrs: [] });
    const done = { name: dqName, q: read };
    dequantised.set(t, done);
    return done;
  };

  /** A scalar constant as DequantizeLinear of a uint8 (QLinearAdd wants both operands quantised). */
  const scalarInput = (hint: string, c: number) => {
    const q: QuantParams = { scale: Math.abs(c) / 255 || 1, zeroPoint: c < 0 ? 255 : 0 };
    const [s, z] = params(hint, q);
    const value = constant(`${hint}_q`, [], UINT8, Uint8Array.of(c < 0 ? 0 : c > 0 ? 255 : 0));
    const name = g.newName(`${hint}_dequantized`);
    place(undefined, { op: ms('DequantizeLinear'), inputs: [value, s, z], outputs: [name], attrs: [] });
    return name;
  };

  /** Absorbed Adds' outputs → the DequantizeLinear now read in their place (and its parameters). */
  const offsetRead = new Map<string, { name: string; q: QuantParams }>();
  for (const { gate, mul } of swishes) {
    const x = gate.inputs[0];
    g.rewrite(gate, { op: 'Add', inputs: [x, scalarInput(`${gate.outputs[0]}_three`, 3)], attrs: [] });
    fakeQuant(gate.outputs[0], { scale: 6 / 255, zeroPoint: 0 }, { scale: 1 / 255, zeroPoint: 0 });
    const offset = constantOffsetAfter(g, mul.outputs[0]);
    const absorbed = offset && offsetParams(ranges[mul.outputs[0]], offset.c);
    if (offset && absorbed) {
      offsetRead.set(offset.add.outputs[0], fakeQuant(mul.outputs[0], absorbed.q, absorbed.read));
      offset.add.removed = true;
    } else {
      fakeQuant(mul.outputs[0]);
    }
  }
  for (const conv of convs) {
    const x = offsetRead.get(conv.inputs[0]) ?? fakeQuant(conv.inputs[0]);
    const [lo, hi] = ranges[conv.outputs[0]];
    fakeQuant(conv.outputs[0], activationParams([isDepthwise(conv) ? Math.max(lo, HARD_SWISH_FLOOR) : lo, hi]));
    const w = g.tensor(conv.inputs[1])!;
    const cout = w.dims[0], per = w.data.length / cout;
    const wScale = new Float32Array(cout), wq = new Int8Array(w.data.length);
    for (let o = 0; o < cout; o++) {
      let m = 0;
      for (let i = o * per; i < (o + 1) * per; i++) m = Math.max(m, Math.abs(w.data[i]));
      const s = m > 0 ? m / 127 : 1;
      wScale[o] = s;
      for (let i = o * per; i < (o + 1) * per; i++) wq[i] = Math.round(w.data[i] / s);
    }
    const wName = constant(`${conv.inputs[1]}_int8`, w.dims, INT8, new Uint8Array(wq.buffer));
    const wDq = g.newName(`${conv.inputs[1]}_dequantized`);
    const inputs = [x.name, wDq];
    place(undefined, { op: ms('DequantizeLinear'), inputs: [wName, constant(`${conv.inputs[1]}_scale`, [cout], FLOAT, floatBytes(wScale)), constant(`${conv.inputs[1]}_zp`, [cout], INT8, new Uint8Array(cout))], outputs: [wDq], attrs: [intAttr('axis', 0)] });
    if (conv.inputs.length >= 3 && conv.inputs[2] !== '') {
      const b = g.tensor(conv.inputs[2])!;
      const bScale = wScale.map((s) => s * x.q.scale);
      const bq = Int32Array.from(b.data, (v, o) => Math.round(v / bScale[o]));
      const bDq = g.newName(`${conv.inputs[2]}_dequantized`);
      place(undefined, { op: ms('DequantizeLinear'), inputs: [constant(`${conv.inputs[2]}_int32`, [cout], INT32, int32Bytes(bq)), constant(`${conv.inputs[2]}_scale`, [cout], FLOAT, floatBytes(bScale)), constant(`${conv.inputs[2]}_zp`, [cout], INT32, new Uint8Array(4 * cout))], outputs: [bDq], attrs: [intAttr('axis', 0)] });
      inputs.push(bDq);
    }
    g.rewrite(conv, { inputs });
  }
  // Every consumer of a quantised tensor (but its QuantizeLinear, not yet in g.nodes) reads the dequantised copy.
  for (const n of g.nodes) {
    if (n.removed) continue;
    const inputs = n.inputs.map((i) => offsetRead.get(i)?.name ?? dequantised.get(i)?.name ?? i);
    if (inputs.some((v, k) => v !== n.inputs[k])) g.rewrite(n, { inputs });
  }
  quantizeClassifier(g, constant);
  // The fused QLinearConv is an opset-10 operator; the recogniser's export is opset 9.
  if (g.opsetVersion() < 10) upgradeToOpset10(g, consts);
  const ordered: GraphNode[] = [...consts, ...(after.get(undefined) ?? [])];
  for (const n of g.nodes) ordered.push(n, ...(after.get(n) ?? []));
  g.nodes = ordered;
  g.extraOpsets.push([MS_DOMAIN, 1]);
  return { model: g.serialize(), convs: convs.length };
}

/**
 * The classifier head, MatMul(x, W[120 × 6,625]) + bias, becomes ONNX Runtime's
 * DynamicQuantizeMatMul: W int8 per class (symmetric, max|W|/127), x quantised per run over its
 * own range, so it needs no calibration. About 4 % less recogniser CPU; logits move by less
 * than the calibrated convolutions' rounding (bench/ppocr-eval.ts CER unchanged to 0.1 point).
 */
function quantizeClassifier(g: Graph, constant: (hint: string, dims: number[], type: number, raw: Uint8Array) => string): void {
  for (const mm of g.nodes) {
    if (mm.removed || mm.op !== 'MatMul') continue;
    const w = g.tensor(mm.inputs[1]);
    if (!w || w.dims.length !== 2 || w.dims[1] < 1000) continue;
    const add = g.soleUse(mm.outputs[0]);
    const bias = add?.op === 'Add' ? g.tensor(add.inputs[add.inputs[0] === mm.outputs[0] ? 1 : 0]) : undefined;
    if (!add || !bias || bias.data.length !== w.dims[1]) continue;
    const [k, n] = w.dims;
    const scale = new Float32Array(n), q = new Int8Array(k * n);
    for (let j = 0; j < n; j++) {
      let m = 0;
      for (let i = 0; i < k; i++) m = Math.max(m, Math.abs(w.data[i * n + j]));
      scale[j] = m > 0 ? m / 127 : 1;
      for (let i = 0; i < k; i++) q[i * n + j] = Math.round(w.data[i * n + j] / scale[j]);
    }
    const inputs = [
      mm.inputs[0],
      constant('head_w_int8', [k, n], INT8, new Uint8Array(q.buffer)),
      constant('head_w_scale', [n], FLOAT, floatBytes(scale)),
      constant('head_w_zp', [n], INT8, new Uint8Array(n)),
      constant('head_bias', [n], FLOAT, floatBytes(bias.data)),
    ];
    g.rewrite(mm, { op: `${MS_DOMAIN}:DynamicQuantizeMatMul`, inputs, outputs: add.outputs, attrs: [] });
    add.removed = true;
  }
}

/**
 * Opset 9 → 10 for the operators these exports use: only Slice changed (its starts, ends and
 * axes moved from attributes to inputs). Any other operator whose meaning changed by opset 10 is
 * refused rather than silently reinterpreted.
 */
function upgradeToOpset10(g: Graph, consts: GraphNode[]): void {
  const changed = new Set(['Upsample', 'Dropout', 'TopK', 'MaxPool', 'Resize']);
  for (const n of g.nodes) {
    if (n.removed) continue;
    if (changed.has(n.op)) throw new Error(`cannot move ${n.op} from opset 9 to 10`);
    if (n.op !== 'Slice' || n.inputs.length > 1) continue;
    const starts = attrInt64s(n, 'starts'), ends = attrInt64s(n, 'ends'), axes = attrInt64s(n, 'axes');
    if (!starts || !ends) throw new Error('Slice without starts/ends');
    const list = (hint: string, v: bigint[]) => {
      const name = g.newName(hint);
      consts.push(constantNode(name, [v.length], INT64, int64Bytes(v)));
      return name;
    };
    const inputs = [n.inputs[0], list('slice_starts', starts), list('slice_ends', ends), ...(axes ? [list('slice_axes', axes)] : [])];
    g.rewrite(n, { inputs, attrs: [] });
  }
  g.defaultOpset = 10;
}
