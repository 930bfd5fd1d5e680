/**
 * Dot leaders past a detection box (dot-leaders.ts): counted on the image while the blobs stay
 * small, low, dense and evenly spaced; letters, specks, a dashed rule, scattered dirt and a
 * full stop or two add nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dotsPastBox, extendDotLeader } from '../../src/engines/ppocr/dot-leaders.js';
import type { Raster } from '../../src/engines/ppocr/raster.js';
import type { Segment } from '../../src/engines/ppocr/layout.js';

const H = 24, TOP = 20;

function page(width = 600, height = 64): Raster {
  return { data: new Uint8Array(width * height * 3).fill(250), width, height };
}

function ink(r: Raster, x0: number, y0: number, w: number, h: number): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) r.data.fill(40, (y * r.width + x) * 3, (y * r.width + x) * 3 + 3);
}

/** A label of block letters from x 10 to 130 ending in two dots, its box ending at 140. */
function label(r: Raster): Segment {
  for (let x = 10; x < 110; x += 14) ink(r, x, TOP + 4, 10, 16);
  ink(r, 116, TOP + 17, 3, 3); ink(r, 126, TOP + 17, 3, 3);
  const words = [{ text: 'TOTAL', quad: [[10, TOP], [110, TOP], [110, TOP + H], [10, TOP + H]] as [number, number][], confidence: 0.9, spaceAfter: true },
    { text: 'AMT..', quad: [[80, TOP], [140, TOP], [140, TOP + H], [80, TOP + H]] as [number, number][], confidence: 0.9, spaceAfter: false }];
  return { box: { cx: 75, cy: TOP + H / 2, w: 130, h: H, angle: 0 }, text: { text: 'TOTAL AMT..', confidence: 0.9, words } };
}

test('a leader the box stops short of: every dot up to the amount is counted and added to the text', () => {
  const r = page(), seg = label(r);
  for (let i = 0; i < 12; i++) ink(r, 146 + 10 * i, TOP + 17, 3, 3);
  for (let x = 300; x < 340; x += 14) ink(r, x, TOP + 4, 10, 16); // the amount
  assert.equal(dotsPastBox(r, seg).count, 12);
  const out = extendDotLeader(r, seg);
  assert.equal(out.text.text, `TOTAL AMT..${'.'.repeat(12)}`);
  assert.equal(out.text.words.at(-1)!.text, `AMT..${'.'.repeat(12)}`);
  assert.deepEqual(out.box, seg.box);
});

test('no leader: a word, a raised mark, a speck or a lone dot after the box add nothing', () => {
  const word = page(), s1 = label(word);
  for (let x = 160; x < 220; x += 14) ink(word, x, TOP + 4, 10, 16);
  assert.equal(extendDotLeader(word, s1).text.text, 'TOTAL AMT..');
  const raised = page(), s2 = label(raised);
  for (let i = 0; i < 6; i++) ink(raised, 146 + 10 * i, TOP + 2, 3, 3); // at cap height, not on the baseline
  assert.equal(dotsPastBox(raised, s2).count, 0);
  const specks = page(), s3 = label(specks);
  for (let i = 0; i < 6; i++) ink(specks, 146 + 10 * i, TOP + 17, 1, 1);
  assert.equal(dotsPastBox(specks, s3).count, 0);
  const lone = page(), s4 = label(lone);
  ink(lone, 146, TOP + 17, 3, 3);
  assert.equal(dotsPastBox(lone, s4).count, 0);
  const plain = page(), s5 = label(plain);
  for (let i = 0; i < 6; i++) ink(plain, 146 + 10 * i, TOP + 17, 3, 3);
  const noDots = { ...s5, text: { ...s5.text, text: 'TOTAL AMT' } };
  assert.equal(extendDotLeader(plain, noDots), noDots, 'a segment that does not end in a dot is left alone');
});

test('uneven dots stop the run where the spacing breaks', () => {
  const r = page(), seg = label(r);
  for (const x of [146, 156, 166, 176, 215, 225]) ink(r, x, TOP + 17, 3, 3);
  assert.equal(dotsPastBox(r, seg).count, 4);
});

test('a dashed rule, or dirt spots far apart after a sentence, is no leader', () => {
  const dashed = page(), s1 = label(dashed);
  for (let i = 0; i < 8; i++) ink(dashed, 146 + 6 * i, TOP + 17, 5, 3); // dashes 1 px apart
  assert.equal(dotsPastBox(dashed, s1).count, 0);
  const dirt = page(), s2 = label(dirt);
  for (let i = 0; i < 4; i++) ink(dirt, 150 + 30 * i, TOP + 17, 3, 3); // a pitch past 0.8 of the line height
  assert.equal(dotsPastBox(dirt, s2).count, 0);
  const two = page(), s3 = label(two);
  ink(two, 146, TOP + 17, 3, 3); ink(two, 156, TOP + 17, 3, 3);
  assert.equal(dotsPastBox(two, s3).count, 0);
});
