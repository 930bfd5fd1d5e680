/**
 * Best-path heads for the recogniser graph. Greedy CTC needs, per time step, only the best
 * class (the best *allowed* class under a language mask) and its probability, but the model
 * returns the whole softmax: 6,625 floats a step, about 200 MB for a dense page, copied out of
 * ONNX Runtime and scanned in JS. Two heads are appended to the graph instead, and a run
 * fetches the one it needs (ORT computes only what the fetched outputs depend on):
 * - `best_class`/`best_prob`: ArgMax/ReduceMax over all classes;
 * - `subset_index`/`subset_prob`: the same over the classes listed in the `class_subset` input
 *   (indices into the softmax), for language-restricted reading.
 * Probabilities are still those of the full softmax, so results equal the JS decoding's.
 */
import { concatBytes, encodeField, fieldsOf, lenField, varintField } from './onnx-wire.js';

export const SUBSET_INPUT = 'class_subset';
export const ALL_HEAD = { cls: 'best_class', prob: 'best_prob' } as const;
export const SUBSET_HEAD = { cls: 'subset_index', prob: 'subset_prob' } as const;

const dec = new TextDecoder();

function node(op: string, inputs: string[], outputs: string[], attrs: Uint8Array[] = []): Uint8Array {
  return concatBytes([...inputs.map((s) => lenField(1, s)), ...outputs.map((s) => lenField(2, s)), lenField(4, op), ...attrs.map((a) => lenField(5, a))]);
}
const intAttr = (name: string, v: number) => concatBytes([lenField(1, name), varintField(3, v), varintField(20, 2)]);
const intsAttr = (name: string, vs: number[]) => concatBytes([lenField(1, name), ...vs.map((v) => varintField(8, v)), varintField(20, 7)]);

/** ValueInfoProto of a tensor with symbolic dimensions. */
function valueInfo(name: string, elemType: number, dims: string[]): Uint8Array {
  const shape = concatBytes(dims.map((d) => lenField(1, lenField(2, d))));
  const tensorType = concatBytes([varintField(1, elemType), lenField(2, shape)]);
  return concatBytes([lenField(1, name), lenField(2, lenField(1, tensorType))]);
}

const FLOAT = 1, INT64 = 7;

/** Replaces the graph's single [N, T, C] probability output with the two best-path heads. */
export function addBestPathHeads(model: Uint8Array): Uint8Array {
  const top = [...fieldsOf(model)];
  const graphField = top.find((f) => f.no === 7);
  if (!graphField) throw new Error('model has no graph');
  const graphFields = [...fieldsOf(graphField.value)];
  const outputs = graphFields.filter((f) => f.no === 12);
  if (outputs.length !== 1) throw new Error(`expected one recogniser output, found ${outputs.length}`);
  const probs = dec.decode([...fieldsOf(outputs[0].value)].find((f) => f.no === 1)?.value);
  const gathered = `${SUBSET_HEAD.prob}__gathered`;
  const added = [
    node('ReduceMax', [probs], [ALL_HEAD.prob], [intsAttr('axes', [2]), intAttr('keepdims', 0)]),
    node('ArgMax', [probs], [ALL_HEAD.cls], [intAttr('axis', 2), intAttr('keepdims', 0)]),
    node('Gather', [probs, SUBSET_INPUT], [gathered], [intAttr('axis', 2)]),
    node('ReduceMax', [gathered], [SUBSET_HEAD.prob], [intsAttr('axes', [2]), intAttr('keepdims', 0)]),
    node('ArgMax', [gathered], [SUBSET_HEAD.cls], [intAttr('axis', 2), intAttr('keepdims', 0)]),
  ];
  const parts: Uint8Array[] = [];
  for (const f of graphFields) if (f.no !== 12) parts.push(encodeField(f.no, f.wire, f.value));
  parts.push(...added.map((n) => lenField(1, n)));
  parts.push(lenField(11, valueInfo(SUBSET_INPUT, INT64, ['subset'])));
  for (const [name, type] of [[ALL_HEAD.cls, INT64], [ALL_HEAD.prob, FLOAT], [SUBSET_HEAD.cls, INT64], [SUBSET_HEAD.prob, FLOAT]] as const) {
    parts.push(lenField(12, valueInfo(name, type, ['batch', 'steps'])));
  }
  const graph = concatBytes(parts);
  return concatBytes(top.map((f) => (f === graphField ? lenField(7, graph) : encodeField(f.no, f.wire, f.value))));
}
