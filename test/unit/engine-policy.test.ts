/** The engine policy's decision from a page's features (src/engines/ppocr/engine-policy.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideEngine, policyModeFromEnv, type PolicyMode } from '../../src/engines/ppocr/engine-policy.js';
import type { PageFeatures } from '../../src/engines/ppocr/page-features.js';

/** The pdflatex sample's page at 300 dpi, as measured (bench/engine-policy.ts). */
const DENSE_SCAN: PageFeatures = { lines: 45, tiltDeg: 0.1, medianLineHeight: 63, regularHeights: 0.98, contrast: 255, paper: 255, lineSpan: 1, paperSpread: 0, colour: 0 };
/** SROIE 002, a receipt photo. */
const RECEIPT: PageFeatures = { ...DENSE_SCAN, lines: 51, tiltDeg: 0.5, medianLineHeight: 22, regularHeights: 0.92, contrast: 181, lineSpan: 0.26, colour: 1 };

const decide = (mode: PolicyMode, features: PageFeatures, over: { int8Vnni?: boolean; languages?: string[]; rotation?: number } = {}) =>
  decideEngine({ mode, int8Vnni: over.int8Vnni ?? false, languages: over.languages ?? ['English'], rotation: over.rotation ?? 0, features });

test('clean, upright, dense English print goes to Tesseract; the reason says why', () => {
  assert.deepEqual(decide('on', DENSE_SCAN), { engine: 'tesseract', reason: 'clean, upright, dense Latin print' });
  assert.equal(decide('on', DENSE_SCAN, { languages: ['English', 'Digits'] }).engine, 'tesseract');
});

test('receipts, sparse, turned, tilted, columned, inverted or colour pages, and Chinese, stay with PP-OCR', () => {
  assert.match(decide('on', RECEIPT).reason, /small print/);
  assert.match(decide('on', { ...DENSE_SCAN, lines: 8 }).reason, /8 lines/);
  assert.match(decide('on', DENSE_SCAN, { rotation: 180 }).reason, /turned 180/);
  assert.match(decide('on', { ...DENSE_SCAN, tiltDeg: 2.4 }).reason, /tilted/);
  assert.match(decide('on', { ...DENSE_SCAN, lineSpan: 0.26 }).reason, /columns/);
  assert.match(decide('on', { ...DENSE_SCAN, paper: 40 }).reason, /dark ground/);
  assert.match(decide('on', { ...DENSE_SCAN, contrast: 90 }).reason, /weak contrast/);
  assert.match(decide('on', { ...DENSE_SCAN, colour: 68 }).reason, /colour/);
  for (const languages of [['ChinesePRC', 'English', 'Digits'], ['ChinesePRC'], ['Digits']]) {
    assert.equal(decide('on', DENSE_SCAN, { languages }).engine, 'ppocr', languages.join(','));
  }
});

test('auto routes only where PP-OCR runs its float recogniser; off never; always every English page', () => {
  assert.equal(decide('auto', DENSE_SCAN, { int8Vnni: false }).engine, 'tesseract');
  assert.match(decide('auto', DENSE_SCAN, { int8Vnni: true }).reason, /int8 recogniser with VNNI/);
  assert.equal(decide('off', DENSE_SCAN).engine, 'ppocr');
  assert.equal(decide('always', RECEIPT).engine, 'tesseract');
  assert.equal(decide('always', RECEIPT, { languages: ['ChinesePRC'] }).engine, 'ppocr');
});

test('DOCR_ENGINE_POLICY is auto by default and refuses unknown modes', () => {
  assert.equal(policyModeFromEnv({}), 'auto');
  assert.equal(policyModeFromEnv({ DOCR_ENGINE_POLICY: ' On ' }), 'on');
  assert.throws(() => policyModeFromEnv({ DOCR_ENGINE_POLICY: 'sometimes' }), /auto, on, off or always/);
});
