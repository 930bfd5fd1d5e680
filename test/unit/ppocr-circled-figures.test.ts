/**
 * Circled handwritten figures (circled-figures.ts): a tall figure inside a pen loop is left out
 * of the page's segments; a figure in a table cell's frame, in an open arc or in no loop, a
 * circled figure of the print's own size and a circled word all stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropCircledFigures } from '../../src/engines/ppocr/circled-figures.js';
import type { Raster } from '../../src/engines/ppocr/raster.js';
import type { Segment } from '../../src/engines/ppocr/layout.js';

const W = 480, H = 400;

function page(): Raster {
  return { data: new Uint8Array(W * H * 3).fill(245), width: W, height: H };
}

function dot(r: Raster, x: number, y: number, grey = 30): void {
  if (x < 0 || y < 0 || x >= r.width || y >= r.height) return;
  r.data.fill(grey, (y * r.width + x) * 3, (y * r.width + x) * 3 + 3);
}

function ink(r: Raster, x0: number, y0: number, w: number, h: number): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) dot(r, x, y);
}

/** A pen stroke two pixels wide along an ellipse, over `from` to `to` radians. */
function ellipse(r: Raster, cx: number, cy: number, a: number, b: number, from = 0, to = 2 * Math.PI): void {
  for (let t = from; t <= to; t += 0.002) {
    const x = Math.round(cx + a * Math.cos(t)), y = Math.round(cy + b * Math.sin(t));
    dot(r, x, y); dot(r, x + 1, y); dot(r, x, y + 1);
  }
}

function seg(text: string, cx: number, cy: number, w: number, h: number): Segment {
  return { box: { cx, cy, w, h, angle: 0 }, text: { text, confidence: 0.9, words: [] } };
}

/** Five printed rows 20 px high down the left (with their ink), and a figure at (330, 200). */
function receipt(r: Raster, figure: Segment): Segment[] {
  const rows = [0, 1, 2, 3, 4].map((i) => seg(`ROW ${i} 12.00`, 90, 40 + 30 * i, 150, 20));
  for (const row of rows) for (let x = 20; x < 160; x += 12) ink(r, x, row.box.cy - 7, 8, 14);
  // The figure's own strokes: four digit-sized blocks across its box.
  const { cx, cy, w, h } = figure.box;
  for (let k = 0; k < 4; k++) ink(r, Math.round(cx - w / 2 + 4 + k * (w / 4)), Math.round(cy - h / 3), 3, Math.round((2 * h) / 3));
  return [...rows, figure];
}

test('a tall figure in a pen loop is dropped; the printed rows stay', () => {
  const r = page(), figure = seg('30.90', 330, 200, 80, 42);
  const segs = receipt(r, figure);
  ellipse(r, 332, 198, 68, 45);
  assert.deepEqual(dropCircledFigures(r, segs).map((s) => s.text.text), segs.slice(0, 5).map((s) => s.text.text));
});

test('a loop that does not quite close still counts; an arc over half of it does not', () => {
  const r = page(), figure = seg('31-00', 330, 200, 80, 42);
  const segs = receipt(r, figure);
  ellipse(r, 332, 198, 68, 45, 0.4, 2 * Math.PI);
  assert.equal(dropCircledFigures(r, segs).length, 5);
  const r2 = page(), segs2 = receipt(r2, figure);
  ellipse(r2, 332, 198, 68, 45, 0, Math.PI);
  assert.equal(dropCircledFigures(r2, segs2).length, 6);
});

test('a figure in a rectangular frame, or in no loop at all, stays', () => {
  const r = page(), figure = seg('30.90', 330, 200, 80, 42);
  const segs = receipt(r, figure);
  ink(r, 262, 150, 140, 2); ink(r, 262, 248, 140, 2); ink(r, 262, 150, 2, 100); ink(r, 400, 150, 2, 100);
  assert.equal(dropCircledFigures(r, segs).length, 6);
  const r2 = page(), segs2 = receipt(r2, figure);
  assert.equal(dropCircledFigures(r2, segs2).length, 6);
});

test('a circled figure of the print\'s own size and a tall circled word stay', () => {
  const small = seg('12.00', 330, 200, 60, 20);
  const r = page(), segs = receipt(r, small);
  ellipse(r, 330, 200, 50, 25);
  assert.equal(dropCircledFigures(r, segs).length, 6);
  const word = seg('PAID', 330, 200, 80, 42);
  const r2 = page(), segs2 = receipt(r2, word);
  ellipse(r2, 332, 198, 68, 45);
  assert.equal(dropCircledFigures(r2, segs2).length, 6);
});

test('a figure too tall for a pen annotation (a sign\'s, a poster\'s) is not searched for a loop, and stays', () => {
  // Its window (the box and two of its heights around) would be 7 million pixels.
  const r: Raster = { data: new Uint8Array(3000 * 2600 * 3).fill(245), width: 3000, height: 2600 };
  const rows = [0, 1, 2, 3, 4].map((i) => seg(`ROW ${i} 12.00`, 200, 60 + 300 * i, 300, 200));
  const figure = seg('2024', 1500, 1300, 800, 500);
  for (let k = 0; k < 4; k++) ink(r, 1150 + 200 * k, 1135, 60, 330); // the figure's strokes
  for (let t = 0; t < 10; t++) ellipse(r, 1500, 1300, 600 + t, 400 + t); // a loop 10 px thick: found, were it searched
  assert.equal(dropCircledFigures(r, [...rows, figure]).length, 6);
});
