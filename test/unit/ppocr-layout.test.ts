/**
 * The PP-OCR engine's pure parts: box geometry, CTC decoding with a language mask, word
 * splitting from CTC timing, and page layout (row joining, column reading order, skew).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minAreaBox, uprightBox, type OrientedBox, type Point } from '../../src/engines/ppocr/geometry.js';
import { ctcDecode } from '../../src/engines/ppocr/ctc.js';
import { allowedClasses } from '../../src/engines/ppocr/charset.js';
import { segmentText, type SegmentText } from '../../src/engines/ppocr/words.js';
import { layoutPage, lineText, type Segment } from '../../src/engines/ppocr/layout.js';
import type { LineRead } from '../../src/engines/ppocr/recognise.js';

const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('minAreaBox: a long line tilted by 2° stays one box with its reading direction', () => {
  const ang = (2 * Math.PI) / 180, pts: Point[] = [];
  for (const [a, c] of [[-500, -15], [500, -15], [500, 15], [-500, 15]]) {
    pts.push([1000 + a * Math.cos(ang) - c * Math.sin(ang), 800 + a * Math.sin(ang) + c * Math.cos(ang)]);
  }
  const b = minAreaBox(pts);
  close(b.w, 1000, 1e-3); close(b.h, 30, 1e-3); close(b.angle, ang, 1e-6);
  close(b.cx, 1000, 1e-6); close(b.cy, 800, 1e-6);
});

test('uprightBox: a quarter-turned description gets the page-right reading direction', () => {
  const b = uprightBox({ cx: 0, cy: 0, w: 30, h: 400, angle: Math.PI / 2 + 0.01 });
  close(b.angle, 0.01); close(b.w, 400); close(b.h, 30);
});

test('ctcDecode: repeats collapse, blanks split, the mask restricts classes', () => {
  const charset = ['', '1', '一', ' '];
  // Steps: '1','1',blank,'一','1' — with '一' (index 2) masked out, its step falls to the next best.
  const rows = [[0, 0.9, 0.05, 0.05], [0, 0.9, 0.05, 0.05], [0.9, 0.05, 0.05, 0], [0.1, 0.3, 0.6, 0], [0.1, 0.8, 0.1, 0]];
  const probs = Float32Array.from(rows.flat());
  assert.deepEqual(ctcDecode(probs, 5, 4, charset).map((c) => c.text), ['1', '一', '1']);
  const digits = allowedClasses([...charset], ['Digits'])!;
  const masked = ctcDecode(probs, 5, 4, charset, digits);
  assert.deepEqual(masked.map((c) => c.text), ['1', '1']);
  assert.deepEqual(masked.map((c) => [c.t0, c.t1]), [[0, 1], [3, 4]]);
  assert.equal(allowedClasses([...charset], ['ChinesePRC', 'English']), undefined);
  assert.deepEqual([...allowedClasses([...charset], ['English'])!], [1, 1, 0, 1]);
});

function read(text: string, box: OrientedBox): LineRead {
  // One character per two steps, 8 px a step.
  const chars = [...text].map((t, i) => ({ text: t, prob: 0.9, t0: 2 * i, t1: 2 * i }));
  return { chars, pixelsPerStep: 8, contentWidth: 16 * chars.length, box, gaps: [] };
}

test('segmentText: Latin words split at spaces, Chinese characters are words of their own', () => {
  const box = { cx: 100, cy: 20, w: 200, h: 20, angle: 0 };
  const s = segmentText(read('PP-OCR 是 ok', box));
  assert.equal(s.text, 'PP-OCR 是 ok');
  assert.deepEqual(s.words.map((w) => w.text), ['PP-OCR', '是', 'ok']);
  assert.ok(s.words[0].quad[1][0] <= s.words[1].quad[0][0] + 1e-9, 'word boxes follow each other');
  const zh = segmentText(read('你好 world', box));
  assert.deepEqual(zh.words.map((w) => w.text), ['你', '好', 'world']);
});

function seg(text: string, x0: number, y0: number, w: number, h = 30, angle = 0): Segment {
  const t: SegmentText = { text, confidence: 0.9, words: [] };
  const c = Math.cos(angle), s = Math.sin(angle);
  const cx = x0 + w / 2, cy = y0 + h / 2;
  return { box: { cx: cx * c - cy * s, cy: cx * s + cy * c, w, h, angle }, text: t };
}

const readText = (segs: Segment[]) => layoutPage(segs).blocks.flatMap((b) => b.lines.map(lineText));

test('segmentText: no space after an opening bracket or before a closing one; around brackets spaces stay', () => {
  const box = { cx: 100, cy: 20, w: 400, h: 20, angle: 0 };
  assert.equal(segmentText(read('S.H.H. MOTOR ( SUNGAI RENGIT ) SDN. BHD.', box)).text, 'S.H.H. MOTOR (SUNGAI RENGIT) SDN. BHD.');
  assert.equal(segmentText(read('TAX [ RM ] 0.00', box)).text, 'TAX [RM] 0.00');
});

test('segmentText: full-width punctuation among Latin text becomes ASCII; among Chinese it stays', () => {
  const box = { cx: 100, cy: 20, w: 300, h: 20, angle: 0 };
  assert.equal(segmentText(read('Item(s）: 5 Qty（s）：5', box)).text, 'Item(s): 5 Qty(s):5');
  assert.equal(segmentText(read('合计（含税）：80.90', box)).text.replace(/ /g, ''), '合计（含税）：80.90');
});

test('segmentText: in proportional type a bracket\'s narrow allowance holds beside a thin letter (`Total (RM)`)', () => {
  // Glyph widths of a proportional sans at a 40 px type size; letters 4 px apart, word spaces 18.
  const glyphs: [string, number][] = [['R', 26], ['o', 22], ['u', 22], ['n', 22], ['d', 22], ['e', 21], ['d', 22], [' ', 0],
    ['T', 24], ['o', 22], ['t', 12], ['a', 21], ['l', 7], ['(', 12], ['R', 26], ['M', 31], [')', 12]];
  const gapAfter = (i: number) => (glyphs[i + 1]?.[0] === ' ' || glyphs[i][0] === ' ' ? 9 : glyphs[i][0] === 'l' ? 17.6 : 4);
  const chars: LineRead['chars'] = [], gaps: LineRead['gaps'] = [];
  let x = 4;
  glyphs.forEach(([text, w], i) => {
    const centre = x + w / 2;
    chars.push({ text, prob: 0.99, t0: centre / 8 - 0.5, t1: centre / 8 - 0.5 });
    x += w;
    const g = gapAfter(i);
    if (text !== ' ' && i + 1 < glyphs.length) gaps.push([x, x + (glyphs[i + 1][0] === ' ' ? 18 : g), (glyphs[i + 1][0] === ' ' ? 18 : g) / 40]);
    x += glyphs[i + 1]?.[0] === ' ' ? 18 : text === ' ' ? 0 : g;
  });
  const box = { cx: 200, cy: 20, w: 400, h: 48, angle: 0 };
  assert.equal(segmentText({ chars, pixelsPerStep: 8, contentWidth: Math.ceil(x + 4), box, gaps }).text, 'Rounded Total (RM)');
});

test('segmentText: a monospaced thin glyph keeps the word space its CTC step lands in (`1 X 19.00`), two thin glyphs set close stay joined', () => {
  const box: OrientedBox = { cx: 100, cy: 20, w: 220, h: 48, angle: 0 };
  // Centres in crop pixels as the recogniser placed them (8 px steps) and the blank runs the
  // image shows: the 1's ink ends at x 19, a step before its centre; the word gap runs to the X.
  const at = (text: string, centre: number) => ({ text, prob: 0.99, t0: (centre / 8 * 2 - 1) / 2, t1: (centre / 8 * 2 - 1) / 2 });
  const qty: LineRead = {
    chars: [at('1', 20), at('X', 60), at('1', 108), at('9', 132), at('.', 156), at('0', 180), at('0', 204)],
    pixelsPerStep: 8, contentWidth: 216, box,
    gaps: [[0, 11, 0.31], [19, 54, 0.97], [71, 104, 0.92], [113, 124, 0.31], [142, 154, 0.33], [160, 171, 0.31], [189, 194, 0.14]],
  };
  assert.equal(segmentText(qty).text, '1 X 19.00');
  // `-INVOICE-` in the same monospaced type: the hyphen's and the I's cell blanks add up to
  // more than half a type size, and are no word space.
  const heading: LineRead = {
    chars: [at('-', 12), at('I', 36), at('N', 60), at('V', 76), at('O', 100)],
    pixelsPerStep: 8, contentWidth: 112, box,
    gaps: [[0, 4, 0.11], [9, 30, 0.58], [39, 49, 0.28], [67, 72, 0.14], [90, 95, 0.14]],
  };
  assert.equal(segmentText(heading).text, '-INVO');
});

test('layout: two prose columns under a heading read column by column', () => {
  const segs = [seg('Heading across both columns', 100, 50, 1800)];
  for (let i = 0; i < 6; i++) {
    segs.push(seg(`left ${i}`, 100, 150 + 40 * i, 850));
    segs.push(seg(`right ${i}`, 1000, 150 + 40 * i, 850));
  }
  segs.push(seg('Footer across both columns', 100, 500, 1800));
  const text = readText(segs);
  assert.deepEqual(text, ['Heading across both columns', ...[0, 1, 2, 3, 4, 5].map((i) => `left ${i}`), ...[0, 1, 2, 3, 4, 5].map((i) => `right ${i}`), 'Footer across both columns']);
});

test('layout: receipt rows join label and amount across a wide gap', () => {
  const segs: Segment[] = [seg('SHOP NAME SDN BHD', 100, 20, 400)];
  const items = [['Plastic bag', '0.20'], ['Total', '31.00'], ['Cash', '50.00'], ['Change', '18.80']];
  items.forEach(([label, amount], i) => {
    segs.push(seg(label, 40, 100 + 40 * i, 20 * label.length));
    segs.push(seg(amount, 520, 100 + 40 * i, 90));
  });
  assert.deepEqual(readText(segs), ['SHOP NAME SDN BHD', ...items.map(([l, a]) => `${l} ${a}`)]);
});

test('layout: a receipt field alone on its side of a gap of a few characters stays on its row; a column beside it does not', () => {
  // A monospaced footer: date, time and shift, then three blanks and the till's number; the
  // next line holds nothing on the right. Read as one row, then the line below.
  const footer = [seg('18-11-18 13:58 SH01 Z153', 20, 850, 250, 22), seg('T2 R000002902', 298, 850, 137, 22), seg('OPERATOR TRAINEE CASHIER', 20, 872, 250, 22)];
  assert.deepEqual(readText(footer), ['18-11-18 13:58 SH01 Z153 T2 R000002902', 'OPERATOR TRAINEE CASHIER']);
  // The same gap with a line under the right piece: the top of a column, read after the left one.
  const columns = [...footer, seg('R000002903 T3', 298, 872, 137, 22)];
  assert.deepEqual(readText(columns), ['18-11-18 13:58 SH01 Z153', 'OPERATOR TRAINEE CASHIER', 'T2 R000002902', 'R000002903 T3']);
});

test('layout: a left-aligned line under a block set to the right is read after the block; columns of unequal length still read whole', () => {
  // Receipt: a full-width total, a right-aligned CASH/Change pair, then a left-aligned summary.
  const receipt = [
    seg('Total Sales (Inclusive of GST) : 80.90', 30, 660, 380, 22),
    seg('CASH : 100.00', 225, 690, 160, 22), seg('Change : 19.10', 210, 718, 175, 22),
    seg('GST SUMMARY', 45, 760, 150, 22), seg('Tax Code Amt (RM) Tax (RM)', 45, 795, 370, 22),
  ];
  assert.deepEqual(readText(receipt), ['Total Sales (Inclusive of GST) : 80.90', 'CASH : 100.00', 'Change : 19.10', 'GST SUMMARY', 'Tax Code Amt (RM) Tax (RM)']);
  // Two columns, the left one three lines longer: its last lines stand alone but continue it.
  const segs: Segment[] = [];
  for (let i = 0; i < 8; i++) segs.push(seg(`left ${i}`, 100, 100 + 40 * i, 800));
  for (let i = 0; i < 5; i++) segs.push(seg(`right ${i}`, 1000, 100 + 40 * i, 800));
  assert.deepEqual(readText(segs), [...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `left ${i}`), ...[0, 1, 2, 3, 4].map((i) => `right ${i}`)]);
});

test('layout: a lone quantity digit whose box DB shrank to its ink stays on its receipt row', () => {
  // Item rows as on a receipt: code, quantity, unit price, amount. DB boxes a lone `1` tightly
  // (half the row's height), so by height alone it was a row of its own, read after the code.
  const segs: Segment[] = [seg('DESC/ITEM QTY PRICE AMT(RM)', 40, 60, 600)];
  const rows = [['88888', '10.00'], ['62483', '55.90'], ['4132', '20.00']];
  rows.forEach(([code, price], i) => {
    const y = 100 + 50 * i;
    segs.push(seg(code, 40, y, 15 * code.length, 30));
    segs.push(seg('1', 372, y + 8, 12, 15));
    segs.push(seg(price, 420, y, 75, 30));
    segs.push(seg(price, 560, y, 75, 30));
  });
  assert.deepEqual(readText(segs), ['DESC/ITEM QTY PRICE AMT(RM)', ...rows.map(([code, price]) => `${code} 1 ${price} ${price}`)]);
});

test('layout: a justified column does not join the photo caption beside it, even where their rows line up', () => {
  // Magazine page: prose ends at x = 1000 (justified), a paragraph ends short, and a caption in
  // small capitals sits past the gutter with the same line pitch. Receipt-like short labels
  // ending at one x (a repeated description) still join their amounts.
  const segs: Segment[] = [];
  for (let i = 0; i < 8; i++) segs.push(seg(`prose line ${i}`, 100, 100 + 40 * i, 900));
  segs.push(seg('main boulevard.', 100, 420, 300));
  for (let i = 0; i < 3; i++) segs.push(seg(`prose after ${i}`, 100, 460 + 40 * i, 900));
  const caption = ['THE ROOFS', 'OF THE CITY', 'DAMAGED', 'RESTORED'];
  caption.forEach((c, i) => segs.push(seg(c, 1080, 420 + 40 * i, 120)));
  const text = readText(segs);
  for (const c of caption) assert.ok(text.includes(c), `caption line "${c}" stands alone: ${JSON.stringify(text)}`);
  assert.ok(text.includes('main boulevard.') && text.includes('prose after 0'), JSON.stringify(text));

  const bill: Segment[] = [];
  for (let i = 0; i < 4; i++) {
    bill.push(seg('Clearing Cheque', 100, 100 + 40 * i, 180));
    bill.push(seg(`${i + 1}0.00`, 600, 100 + 40 * i, 90));
  }
  assert.deepEqual(readText(bill), [1, 2, 3, 4].map((i) => `Clearing Cheque ${i}0.00`));
});

test('layout: a caption reaching under both columns does not pull the right column into the left one', () => {
  // Two columns; beside rows 5–7 the columns are narrower and a three-line caption sits in the
  // gutter, its ends a quarter of its width under each column.
  const segs: Segment[] = [];
  const narrow = (i: number) => i >= 5 && i <= 7;
  for (let i = 0; i < 12; i++) {
    segs.push(seg(`L${i}`, 100, 100 + 40 * i, narrow(i) ? 800 : 900));
    segs.push(seg(`R${i}`, narrow(i) ? 1200 : 1100, 100 + 40 * i, narrow(i) ? 800 : 900));
  }
  for (let i = 0; i < 3; i++) segs.push(seg(`C${i}`, 950, 300 + 40 * i, 200));
  const range = (p: string, a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => `${p}${a + i}`);
  assert.deepEqual(readText(segs), [...range('L', 0, 7), ...range('C', 0, 2), ...range('L', 8, 11), ...range('R', 0, 11)]);
});

test('layout: a heading between two-column sections is read after the first section and before the second', () => {
  const segs: Segment[] = [];
  for (let i = 0; i < 4; i++) { segs.push(seg(`A left ${i}`, 100, 100 + 40 * i, 800)); segs.push(seg(`A right ${i}`, 1000, 100 + 40 * i, 800)); }
  segs.push(seg('Section heading', 600, 300, 800));
  for (let i = 0; i < 4; i++) { segs.push(seg(`B left ${i}`, 100, 360 + 40 * i, 800)); segs.push(seg(`B right ${i}`, 1000, 360 + 40 * i, 800)); }
  const part = (p: string) => [0, 1, 2, 3].map((i) => `${p} ${i}`);
  assert.deepEqual(readText(segs), [...part('A left'), ...part('A right'), 'Section heading', ...part('B left'), ...part('B right')]);
});

test('layout: a page skewed by 4° groups along the line slope', () => {
  // Each 800 px line tilted by 4° spans 56 px in height, more than the 40 px line pitch:
  // grouping by plain vertical overlap would merge neighbours. Line 2 is split at a word gap.
  const ang = (4 * Math.PI) / 180;
  const segs: Segment[] = [];
  for (let i = 0; i < 5; i++) {
    if (i === 2) {
      segs.push(seg('line 2 start', 100, 180, 500, 30, ang));
      segs.push(seg('end 2', 615, 180, 285, 30, ang));
    } else segs.push(seg(`line ${i}`, 100, 100 + 40 * i, 800, 30, ang));
  }
  assert.deepEqual(readText(segs), ['line 0', 'line 1', 'line 2 start end 2', 'line 3', 'line 4']);
  assert.equal(layoutPage(segs).blocks.length, 1);
});
