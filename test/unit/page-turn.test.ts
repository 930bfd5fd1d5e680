import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Box, Page } from '../../src/domain/ocr-tree.js';
import { emptyPage } from '../../src/domain/ocr-tree.js';
import { turnedBack, uprightPage } from '../../src/domain/page-turn.js';

const box: Box = { x: 100, y: 50, w: 300, h: 40 };
const W = 1000, H = 2000;
const upright: Page = { ...emptyPage(1, W, H, 300), blocks: [{ kind: 'text', box, lines: [{ text: 'a', box, confidence: 1, words: [{ text: 'a', box, confidence: 1 }] }] }] };

/** The page as an engine would have been given it: the upright page turned counter-clockwise by `turn`. */
function given(turn: 90 | 180 | 270): Page {
  const t = (b: Box): Box => {
    if (turn === 90) return { x: b.y, y: W - (b.x + b.w), w: b.h, h: b.w };
    if (turn === 180) return { x: W - (b.x + b.w), y: H - (b.y + b.h), w: b.w, h: b.h };
    return { x: H - (b.y + b.h), y: b.x, w: b.h, h: b.w };
  };
  const sideways = turn !== 180;
  return {
    ...upright, rotation: turn, width: sideways ? H : W, height: sideways ? W : H,
    blocks: upright.blocks.map((b) => ({ ...b, box: t(b.box), lines: b.lines.map((l) => ({ ...l, box: t(l.box), words: l.words.map((w) => ({ ...w, box: t(w.box) })) })) })),
  };
}

test('uprightPage undoes the turn the engine applied', () => {
  for (const turn of [90, 180, 270] as const) {
    const back = uprightPage(given(turn));
    assert.equal(back.rotation, 0);
    assert.deepEqual([back.width, back.height], [W, H], `turn ${turn}`);
    assert.deepEqual(back.blocks[0].lines[0].words[0].box, box, `turn ${turn}`);
  }
  assert.equal(uprightPage(upright), upright);
});

test('turnedBack takes an upright page back to the frame of the image as given', () => {
  for (const turn of [90, 180, 270] as const) {
    const page = given(turn);
    assert.deepEqual(turnedBack(uprightPage(page), turn), page, `turn ${turn}`);
  }
  assert.equal(turnedBack(upright, 0), upright);
});
