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
import { concatBytes, encodeField, fieldsOf, floatField, lenField, varintField, varintsOf, varintValue, LEN, type WireField } from './onnx-wire.js';

interface GraphNode {
  inputs: string[];
  outputs: string[];
  op: string;
  /** The original encoding; undefined once the node is rewritten. */
  raw?: Uint8Array;
  /** Attribute fields (encoded AttributeProto payloads), kept for rewritten nodes. */
  attrs: Uint8Array[];
  removed?: boolean;
}

interface FloatTensor { dims: number[]; data: Float32Array; dirty: boolean }

const dec = new TextDecoder();

function parseNode(raw: Uint8Array): GraphNode {
  const n: GraphNode = { inputs: [], outputs: [], op: '', raw, attrs: [] };
  for (const f of fieldsOf(raw)) {
    if (f.no === 1) n.inputs.push(dec.decode(f.value));
    else if (f.no === 2) n.outputs.push(dec.decode(f.value));
    else if (f.no === 4) n.op = dec.decode(f.value);
    else if (f.no === 5) n.attrs.push(f.value);
    else if (f.no === 7 && f.value.length > 0) n.op = `${dec.decode(f.value)}:${n.op}`; // non-default domains never match
  }
  return n;
}

function attrFields(n: GraphNode, name: string): WireField[] | undefined {
  for (const a of n.attrs) {
    const fs = [...fieldsOf(a)];
    if (fs.some((f) => f.no === 1 && dec.decode(f.value) === name)) return fs;
  }
  return undefined;
}

function attrFloat(n: GraphNode, name: string): number | undefined {
  const f = attrFields(n, name)?.find((x) => x.no === 2);
  return f ? new DataView(f.value.buffer, f.value.byteOffset, 4).getFloat32(0, true) : undefined;
}

function attrInts(n: GraphNode, name: string): number[] | undefined {
  const fs = attrFields(n, name);
  if (!fs) return undefined;
  const one = fs.find((x) => x.no === 3);
  return one ? [varintValue(one.value)] : varintsOf(fs, 8);
}

/** A float tensor held by a Constant node (raw_data or float_data), else undefined. */
function constantTensor(n: GraphNode): FloatTensor | undefined {
  if (n.op !== 'Constant' || n.attrs.length !== 1) return undefined;
  const t = attrFields(n, 'value')?.find((x) => x.no === 5);
  if (!t) return undefined;
  const fs = [...fieldsOf(t.value)];
  const type = fs.find((x) => x.no === 2);
  if (!type || varintValue(type.value) !== 1) return undefined; // FLOAT only
  if (fs.some((x) => x.no === 13 || x.no === 14)) return undefined; // external data / data_location
  const raw = fs.find((x) => x.no === 9)?.value ?? concatBytes(fs.filter((x) => x.no === 4 && x.wire === LEN).map((x) => x.value));
  const data = new Float32Array(raw.length / 4);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(4 * i, true);
  return { dims: varintsOf(fs, 1), data, dirty: false };
}

function encodeNode(n: GraphNode): Uint8Array {
  const [domain, op] = n.op.includes(':') ? n.op.split(':') : ['', n.op];
  return concatBytes([
    ...n.inputs.map((s) => lenField(1, s)), ...n.outputs.map((s) => lenField(2, s)),
    lenField(4, op), ...n.attrs.map((a) => lenField(5, a)), ...(domain ? [lenField(7, domain)] : []),
  ]);
}

function encodeConstant(name: string, t: FloatTensor): Uint8Array {
  const raw = new Uint8Array(t.data.length * 4);
  const view = new DataView(raw.buffer);
  t.data.forEach((x, i) => view.setFloat32(4 * i, x, true));
  const tensor = concatBytes([...t.dims.map((d) => varintField(1, d)), varintField(2, 1), lenField(9, raw)]);
  const attr = concatBytes([lenField(1, 'value'), lenField(5, tensor), varintField(20, 4)]);
  return encodeNode({ inputs: [], outputs: [name], op: 'Constant', attrs: [attr] });
}

const floatAttr = (name: string, x: number) => concatBytes([lenField(1, name), floatField(2, x), varintField(20, 1)]);

class Graph {
  readonly producer = new Map<string, GraphNode>();
  readonly uses = new Map<string, GraphNode[]>();
  readonly tensors = new Map<string, FloatTensor>();
  readonly added: [string, FloatTensor][] = [];
  private serial = 0;

  constructor(readonly nodes: GraphNode[]) {
    for (const n of nodes) {
      for (const o of n.outputs) this.producer.set(o, n);
      for (const i of n.inputs) this.uses.set(i, [...(this.uses.get(i) ?? []), n]);
    }
  }

  tensor(name: string): FloatTensor | undefined {
    if (!this.tensors.has(name)) {
      const p = this.producer.get(name);
      const t = p && constantTensor(p);
      if (!t) return undefined;
      this.tensors.set(name, t);
    }
    return this.tensors.get(name);
  }

  scalar(name: string): number | undefined {
    const t = this.tensor(name);
    return t && t.data.length === 1 ? t.data[0] : undefined;
  }

  /** The sole live consumer of `name`, if it has exactly one. */
  soleUse(name: string): GraphNode | undefined {
    const u = (this.uses.get(name) ?? []).filter((n) => !n.removed);
    return u.length === 1 ? u[0] : undefined;
  }

  /** For a binary node with one scalar-constant operand: [the other input, the scalar]. */
  scalarOperand(n: GraphNode): [string, number] | undefined {
    if (n.inputs.length !== 2) return undefined;
    const [a, b] = n.inputs, sa = this.scalar(a), sb = this.scalar(b);
    if (sb !== undefined && sa === undefined) return [a, sb];
    if (sa !== undefined && sb === undefined && n.op !== 'Div' && n.op !== 'Sub') return [b, sa];
    return undefined;
  }

  newConstant(hint: string, t: FloatTensor): string {
    const name = `${hint}__folded${this.serial++}`;
    this.added.push([name, t]);
    this.tensors.set(name, t);
    return name;
  }

  rewrite(n: GraphNode, change: Partial<GraphNode>): void {
    Object.assign(n, change);
    n.raw = undefined;
  }
}

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
  const autoPad = attrFields(conv, 'auto_pad')?.find((f) => f.no === 4);
  const unpadded = kh === 1 && kw === 1 && pads.every((v) => v === 0) && (!autoPad || dec.decode(autoPad.value) === 'NOTSET');
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
  const top = [...fieldsOf(model)];
  const graphField = top.find((f) => f.no === 7);
  if (!graphField) return { model, folds: 0 };
  const graphFields = [...fieldsOf(graphField.value)];
  const g = new Graph(graphFields.filter((f) => f.no === 1).map((f) => parseNode(f.value)));
  let folds = 0;
  for (const n of g.nodes) if (!n.removed && n.op === 'Conv' && foldAffineAfterConv(g, n)) folds++;
  for (const n of g.nodes) if (!n.removed && n.op === 'Add' && foldHardSwish(g, n)) folds++;
  for (const n of g.nodes) if (!n.removed && n.op === 'Mul' && foldAffineBeforeConv(g, n)) folds++;
  if (folds === 0) return { model, folds };
  // Constants only the folded nodes read would be left dangling (ORT warns about each one).
  const live = new Set(g.nodes.filter((n) => !n.removed).flatMap((n) => n.inputs));
  for (const f of graphFields) if (f.no === 12) live.add(dec.decode([...fieldsOf(f.value)].find((x) => x.no === 1)?.value ?? new Uint8Array(0)));
  for (const n of g.nodes) if (n.op === 'Constant' && !live.has(n.outputs[0])) n.removed = true;

  const nodeBytes = (n: GraphNode): Uint8Array | undefined => {
    if (n.removed) return undefined;
    const t = n.op === 'Constant' ? g.tensors.get(n.outputs[0]) : undefined;
    if (t?.dirty) return encodeConstant(n.outputs[0], t);
    return n.raw ?? encodeNode(n);
  };
  const parts: Uint8Array[] = [];
  let nodeIndex = 0;
  for (const f of graphFields) {
    if (f.no !== 1) { parts.push(encodeField(f.no, f.wire, f.value)); continue; }
    // New constants go first: ONNX wants nodes in topological order.
    if (nodeIndex === 0) for (const [name, t] of g.added) parts.push(lenField(1, encodeConstant(name, t)));
    const bytes = nodeBytes(g.nodes[nodeIndex++]);
    if (bytes) parts.push(lenField(1, bytes));
  }
  const graph = concatBytes(parts);
  return { model: concatBytes(top.map((f) => (f === graphField ? lenField(7, graph) : encodeField(f.no, f.wire, f.value)))), folds };
}
