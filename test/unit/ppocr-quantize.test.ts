/**
 * The int8 recogniser (src/engines/ppocr/quantize.ts with the committed rec.ranges.json) must
 * read real lines as the float one does, and the rewrite must really produce integer operators
 * (otherwise it only adds work). Agreement, not identity: quantisation changes the arithmetic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createPpocrEngine } from '../../src/engines/ppocr/index.js';
import { defaultModelDir } from '../../src/engines/ppocr/models.js';
import { foldGraph } from '../../src/engines/ppocr/graph-folding.js';
import { quantizeModel, quantisedActivations, type Ranges } from '../../src/engines/ppocr/quantize.js';
import { attrInts, Graph, type GraphNode } from '../../src/engines/ppocr/onnx-graph.js';
import { pageLines } from '../../src/domain/ocr-tree.js';
import { cer } from '../../bench/lib/cer.js';
import { corpusPath, groundTruth } from '../fixtures/corpus.js';

async function foldedRec(): Promise<Uint8Array> {
  return foldGraph(new Uint8Array(await readFile(path.join(defaultModelDir(), 'ch_PP-OCRv4_rec_infer.onnx')))).model;
}

test('the committed ranges cover every tensor the quantiser needs; pointwise and later depthwise convolutions are quantised, block offsets absorbed', async () => {
  const folded = await foldedRec();
  const ranges = JSON.parse(await readFile(new URL('../../src/engines/ppocr/rec.ranges.json', import.meta.url), 'utf8')) as Ranges;
  const needed = quantisedActivations(folded);
  assert.deepEqual(needed.filter((t) => !ranges[t]), [], 'tensors without a calibrated range');
  const { model, convs } = quantizeModel(folded, ranges);
  assert.ok(convs >= 20, `${convs} convolutions quantised`);
  const g = Graph.parse(model)!;
  const ops = g.nodes.map((n) => n.op);
  assert.equal(g.opsetVersion(), 10, 'moved to opset 10 for QLinearConv');
  assert.ok(ops.filter((o) => o.endsWith('QuantizeLinear')).length > convs, 'quantise nodes on every quantised tensor');
  const hardSigmoids = (m: Graph) => m.nodes.filter((n) => n.op === 'HardSigmoid').length;
  assert.ok(hardSigmoids(g) < hardSigmoids(Graph.parse(folded)!) - 10, 'the backbone hard-swishes became integer add/multiply');
  // The blocks' offsets Add(hard-swish, c) are read by their DequantizeLinear's zero point
  // instead; the only Adds the rewrite brings are the hard-swish gates' x + 3.
  const source = Graph.parse(folded)!;
  const adds = (m: Graph) => m.nodes.filter((n) => !n.removed && n.op === 'Add').length;
  const offsets = source.nodes.filter((n) => n.op === 'Add' && n.inputs[0].startsWith('hardswish_')).length;
  const absorbed = adds(source) + (hardSigmoids(source) - hardSigmoids(g)) - adds(g);
  assert.ok(offsets >= 10 && absorbed >= offsets - 2, `${absorbed} of ${offsets} block offsets absorbed`);
  // Depthwise convolutions: the wide later ones read int8 weights, the narrow early ones stay float.
  const depthwise = (m: Graph) => m.nodes.filter((n) => !n.removed && n.op === 'Conv' && (attrInts(n, 'group')?.[0] ?? 1) > 1);
  const int8Weights = (n: GraphNode) => g.producer.get(n.inputs[1])?.op.endsWith('DequantizeLinear') === true;
  const channels = (n: GraphNode) => attrInts(n, 'group')![0];
  assert.ok(depthwise(g).filter(int8Weights).length >= 6, 'later depthwise convolutions quantised');
  assert.deepEqual(depthwise(g).filter((n) => int8Weights(n) !== (channels(n) >= 128)).map(channels), [], 'quantised exactly from 128 channels on');
  // The 6,625-class head runs on int8 weights (quantised per run, no float MatMul over the classes left).
  const live = g.nodes.filter((n) => !n.removed);
  assert.equal(live.filter((n) => n.op === 'com.microsoft:DynamicQuantizeMatMul').length, 1, 'classifier head quantised');
  assert.deepEqual(live.filter((n) => n.op === 'MatMul' && (g.tensor(n.inputs[1])?.dims[1] ?? 0) >= 1000).map((n) => n.outputs[0]), [], 'no float classifier MatMul left');
});

test('int8 and float recognisers read the same real pages within a few CER points of each other and of the truth', async () => {
  const [int8, float] = await Promise.all([createPpocrEngine({ threads: 1, precision: 'int8' }), createPpocrEngine({ threads: 1, precision: 'float' })]);
  try {
    for (const [file, languages] of [['images-en/tessjs_testocr.png', ['English']], ['images-zh/cnocr_multi-line_cn1.png', ['ChinesePRC', 'English', 'Digits']]] as const) {
      const data = await readFile(corpusPath(file));
      const read = async (e: typeof int8) => pageLines(await e.recognize({ data, width: 0, height: 0, dpi: 300, index: 1 }, { languages: [...languages] })).map((l) => l.text).join('\n');
      const [a, b] = [await read(int8), await read(float)];
      const truth = groundTruth(file);
      assert.ok(cer(a, b) < 0.05, `${file}: int8 vs float CER ${cer(a, b)}\n${a}\n---\n${b}`);
      assert.ok(cer(a, truth) < cer(b, truth) + 0.03, `${file}: int8 CER ${cer(a, truth)} vs float ${cer(b, truth)}`);
    }
  } finally {
    await Promise.all([int8.close(), float.close()]);
  }
});
