/**
 * Line measurement for the PDF text layer (renderers/line-geometry.ts): a dashed rule the line's
 * box reaches over (a receipt's rule under its table header) is not taken for the text's core
 * band, so the baseline stays on the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureLine, type GreyImage } from '../../src/renderers/line-geometry.js';
import type { Line } from '../../src/domain/ocr-tree.js';

const W = 400, H = 60;

function image(): GreyImage {
  return { data: new Uint8Array(W * H).fill(240), width: W, height: H };
}

function ink(img: GreyImage, x0: number, y0: number, w: number, h: number): void {
  for (let y = y0; y < y0 + h; y++) img.data.fill(20, y * img.width + x0, y * img.width + x0 + w);
}

/** Four words of block letters, x-height rows 30–44 (baseline 44), ascenders from 24. */
function words(img: GreyImage): Line {
  const spans: [number, number][] = [[20, 90], [120, 170], [200, 290], [320, 380]];
  for (const [a, b] of spans) for (let x = a; x < b; x += 10) { ink(img, x, 30, 3, 14); ink(img, x + 3, 30, 4, 2); if (x % 20 === 0) ink(img, x, 24, 3, 6); }
  return {
    text: 'Item Qty Price Tax', box: { x: 10, y: 20, w: 380, h: 30 }, confidence: 0.9,
    words: spans.map(([a, b], i) => ({ text: ['Item', 'Qty', 'Price', 'Tax'][i], box: { x: a, y: 20, w: b - a, h: 30 }, confidence: 0.9 })),
  };
}

test('a dashed rule across the top of a line\'s box leaves its baseline on the text', () => {
  const plain = image(), line = words(plain);
  const expected = measureLine(plain, line).baseline;
  assert.ok(Math.abs(expected - 44) <= 1.5, `baseline ${expected} without the rule`);
  const ruled = image();
  words(ruled);
  for (let x = 10; x < 390; x += 9) ink(ruled, x, 21, 6, 2); // dashes across word gaps too
  const g = measureLine(ruled, line);
  assert.ok(Math.abs(g.baseline - expected) <= 1, `baseline ${g.baseline} with a rule at rows 21–22, ${expected} without`);
  assert.ok(g.measured);
});
