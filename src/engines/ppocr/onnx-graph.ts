/**
 * An ONNX model's graph as editable nodes, over the wire-format helpers of onnx-wire.ts: the
 * load-time rewrites (graph-folding.ts, quantize.ts) parse a model into a Graph, change nodes and
 * constants, and serialise it back. Nodes that are not changed keep their original bytes.
 */
import { concatBytes, encodeField, fieldsOf, floatField, lenField, varintField, varintsOf, varintValue, LEN, type WireField } from './onnx-wire.js';

export interface GraphNode {
  inputs: string[];
  outputs: string[];
  op: string;
  /** The original encoding; undefined once the node is rewritten. */
  raw?: Uint8Array;
  /** Attribute fields (encoded AttributeProto payloads), kept for rewritten nodes. */
  attrs: Uint8Array[];
  removed?: boolean;
}

export interface FloatTensor { dims: number[]; data: Float32Array; dirty: boolean }

/** TensorProto data types used here. */
export const FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6, INT64 = 7;
/** The domain of ONNX Runtime's contrib operators ("domain:Op" in GraphNode.op). */
export const MS_DOMAIN = 'com.microsoft';

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

export function attrFields(n: GraphNode, name: string): WireField[] | undefined {
  for (const a of n.attrs) {
    const fs = [...fieldsOf(a)];
    if (fs.some((f) => f.no === 1 && dec.decode(f.value) === name)) return fs;
  }
  return undefined;
}

export function attrFloat(n: GraphNode, name: string): number | undefined {
  const f = attrFields(n, name)?.find((x) => x.no === 2);
  return f ? new DataView(f.value.buffer, f.value.byteOffset, 4).getFloat32(0, true) : undefined;
}

export function attrInts(n: GraphNode, name: string): number[] | undefined {
  const fs = attrFields(n, name);
  if (!fs) return undefined;
  const one = fs.find((x) => x.no === 3);
  return one ? [varintValue(one.value)] : varintsOf(fs, 8);
}

/** An INTS attribute read exactly as int64 (Slice ends are often INT64_MAX; negatives are 10-byte varints). */
export function attrInt64s(n: GraphNode, name: string): bigint[] | undefined {
  const fs = attrFields(n, name);
  if (!fs) return undefined;
  const out: bigint[] = [];
  for (const f of fs) {
    if (f.no !== 8 && f.no !== 3) continue;
    for (let p = 0; p < f.value.length;) {
      let v = 0n, shift = 0n;
      for (;;) { const b = f.value[p++]; v |= BigInt(b & 0x7f) << shift; shift += 7n; if (b < 0x80) break; }
      out.push(BigInt.asIntN(64, v));
    }
  }
  return out;
}

export function attrString(n: GraphNode, name: string): string | undefined {
  const f = attrFields(n, name)?.find((x) => x.no === 4);
  return f ? dec.decode(f.value) : undefined;
}

export const floatAttr = (name: string, x: number) => concatBytes([lenField(1, name), floatField(2, x), varintField(20, 1)]);
export const intAttr = (name: string, v: number) => concatBytes([lenField(1, name), varintField(3, v), varintField(20, 2)]);

/** A float tensor held by a Constant node (raw_data or float_data), else undefined. */
function constantTensor(n: GraphNode): FloatTensor | undefined {
  if (n.op !== 'Constant' || n.attrs.length !== 1) return undefined;
  const t = attrFields(n, 'value')?.find((x) => x.no === 5);
  if (!t) return undefined;
  const fs = [...fieldsOf(t.value)];
  const type = fs.find((x) => x.no === 2);
  if (!type || varintValue(type.value) !== FLOAT) return undefined;
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

/** A Constant node holding `raw` (little-endian elements of `dataType`) with these dims. */
export function constantNode(name: string, dims: readonly number[], dataType: number, raw: Uint8Array): GraphNode {
  const tensor = concatBytes([...dims.map((d) => varintField(1, d)), varintField(2, dataType), lenField(9, raw)]);
  const attr = concatBytes([lenField(1, 'value'), lenField(5, tensor), varintField(20, 4)]);
  return { inputs: [], outputs: [name], op: 'Constant', attrs: [attr] };
}

export function floatBytes(data: ArrayLike<number>): Uint8Array {
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return raw;
}

export function int64Bytes(data: readonly bigint[]): Uint8Array {
  const raw = new Uint8Array(data.length * 8);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setBigInt64(8 * i, data[i], true);
  return raw;
}

export function int32Bytes(data: ArrayLike<number>): Uint8Array {
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setInt32(4 * i, data[i], true);
  return raw;
}

/** Whether an OperatorSetIdProto field imports the default (ai.onnx) domain. */
function isDefaultOpset(f: WireField): boolean {
  return f.no === 8 && [...fieldsOf(f.value)].every((x) => x.no !== 1 || x.value.length === 0 || dec.decode(x.value) === 'ai.onnx');
}

/** ValueInfoProto of a tensor of this element type and unknown shape. */
function valueInfo(name: string, elemType: number): Uint8Array {
  return concatBytes([lenField(1, name), lenField(2, lenField(1, varintField(1, elemType)))]);
}

export class Graph {
  readonly producer = new Map<string, GraphNode>();
  readonly uses = new Map<string, GraphNode[]>();
  readonly tensors = new Map<string, FloatTensor>();
  /** Constants created by rewrites, emitted before every other node. */
  readonly added: [string, FloatTensor][] = [];
  /** Graph outputs to append (name, element type). */
  readonly extraOutputs: [string, number][] = [];
  /** Operator-set imports to add (domain, version). */
  readonly extraOpsets: [string, number][] = [];
  /** A new version for the default (ai.onnx) operator set, when a rewrite needs one. */
  defaultOpset?: number;
  private serial = 0;

  private constructor(private readonly top: WireField[], private readonly graphFields: WireField[], public nodes: GraphNode[]) {
    this.index();
  }

  static parse(model: Uint8Array): Graph | undefined {
    const top = [...fieldsOf(model)];
    const graphField = top.find((f) => f.no === 7);
    if (!graphField) return undefined;
    const graphFields = [...fieldsOf(graphField.value)];
    return new Graph(top, graphFields, graphFields.filter((f) => f.no === 1).map((f) => parseNode(f.value)));
  }

  /** Producer and consumers of every tensor, as parsed (rewrites keep them current themselves or do not need them). */
  private index(): void {
    this.producer.clear(); this.uses.clear();
    for (const n of this.nodes) {
      if (n.removed) continue;
      for (const o of n.outputs) this.producer.set(o, n);
      for (const i of n.inputs) this.uses.set(i, [...(this.uses.get(i) ?? []), n]);
    }
  }

  /** The model's default (ai.onnx) operator-set version. */
  opsetVersion(): number {
    const f = this.top.find(isDefaultOpset);
    const version = f && [...fieldsOf(f.value)].find((x) => x.no === 2);
    return version ? varintValue(version.value) : 0;
  }

  /** Names of the graph's outputs. */
  outputNames(): string[] {
    return this.graphFields.filter((f) => f.no === 12).map((f) => dec.decode([...fieldsOf(f.value)].find((x) => x.no === 1)?.value ?? new Uint8Array(0)));
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

  /** A fresh tensor name derived from `hint`. */
  newName(hint: string): string {
    return `${hint}__q${this.serial++}`;
  }

  rewrite(n: GraphNode, change: Partial<GraphNode>): void {
    Object.assign(n, change);
    n.raw = undefined;
  }

  /** The model with this graph: live nodes in array order (which must be topological), unused constants dropped. */
  serialize(): Uint8Array {
    // Constants only removed nodes read would be left dangling (ORT warns about each one).
    const live = new Set(this.nodes.filter((n) => !n.removed).flatMap((n) => n.inputs));
    for (const name of this.outputNames()) live.add(name);
    for (const n of this.nodes) if (n.op === 'Constant' && !live.has(n.outputs[0])) n.removed = true;
    const nodeBytes = (n: GraphNode): Uint8Array | undefined => {
      if (n.removed) return undefined;
      const t = n.op === 'Constant' ? this.tensors.get(n.outputs[0]) : undefined;
      if (t?.dirty) return encodeNode(constantNode(n.outputs[0], t.dims, FLOAT, floatBytes(t.data)));
      return n.raw ?? encodeNode(n);
    };
    const parts: Uint8Array[] = [];
    let nodesWritten = false;
    for (const f of this.graphFields) {
      if (f.no !== 1) { parts.push(encodeField(f.no, f.wire, f.value)); continue; }
      if (nodesWritten) continue;
      nodesWritten = true;
      // New constants go first: ONNX wants nodes in topological order.
      for (const [name, t] of this.added) parts.push(lenField(1, encodeNode(constantNode(name, t.dims, FLOAT, floatBytes(t.data)))));
      for (const n of this.nodes) { const b = nodeBytes(n); if (b) parts.push(lenField(1, b)); }
    }
    for (const [name, type] of this.extraOutputs) parts.push(lenField(12, valueInfo(name, type)));
    const graph = concatBytes(parts);
    const out: Uint8Array[] = this.top.map((f) => {
      if (f.no === 7) return lenField(7, graph);
      if (this.defaultOpset !== undefined && isDefaultOpset(f)) return lenField(8, concatBytes([lenField(1, ''), varintField(2, this.defaultOpset)]));
      return encodeField(f.no, f.wire, f.value);
    });
    for (const [domain, version] of this.extraOpsets) out.push(lenField(8, concatBytes([lenField(1, domain), varintField(2, version)])));
    return concatBytes(out);
  }
}
