import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Block, Line, Page, Word } from '../../src/domain/ocr-tree.js';
import { emptyPage, unionBox } from '../../src/domain/ocr-tree.js';
import { analyseLayout } from '../../src/layout/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';

const H = 30;

function line(x: number, y: number, words: string[], h = H): Line {
  let cx = x;
  const ws: Word[] = words.map((text) => {
    const w = { text, box: { x: cx, y, w: text.length * h * 0.5, h }, confidence: 0.9 };
    cx += w.box.w + h * 0.3;
    return w;
  });
  return { text: words.join(' '), box: unionBox(ws.map((w) => w.box)), confidence: 0.9, words: ws };
}
const block = (lines: Line[]): Block => ({ kind: 'text', box: unionBox(lines.map((l) => l.box)), lines });
const page = (blocks: Block[]): Page => ({ ...emptyPage(1, 2480, 3508, 300), blocks });

test('aligned columns without rules become a table; prose stays prose', async () => {
  const rows = [['Item', 'Qty', 'Price'], ['Apples', '3', '1.20'], ['Pears', '12', '0.80'], ['Plums', '7', '2.10']];
  const table = rows.map((r, i) => {
    const y = 600 + i * 50;
    // Three cells on one engine line with wide gaps between them.
    const ws = [line(200, y, [r[0]]), line(900, y, [r[1]]), line(1400, y, [r[2]])].flatMap((l) => l.words);
    return { text: r.join(' '), box: unionBox(ws.map((w) => w.box)), confidence: 0.9, words: ws } as Line;
  });
  const prose = block([line(200, 200, ['Some', 'words', 'in', 'a', 'sentence']), line(200, 240, ['and', 'another', 'line', 'of', 'it'])]);
  const out = await analyseLayout(page([prose, block(table)]));
  const t = out.blocks.find((b) => b.kind === 'table');
  assert.ok(t?.table, 'a table block');
  assert.equal(t.table.rows, 4);
  assert.equal(t.table.cols, 3);
  assert.equal(out.blocks[0].kind, 'text');
  assert.match(renderTxt({ pages: [out], languages: [] }), /Pears\t12\t0\.80/);
});

test('a table found inside a block keeps the lines read before it ahead of it (a receipt: items, then totals)', async () => {
  const cell = (x: number, y: number, words: string[]) => line(x, y, words).words;
  const row = (y: number, label: string[], amount: string): Line => {
    const ws = [...cell(200, y, label), ...cell(1400, y, [amount])];
    return { text: `${label.join(' ')} ${amount}`, box: unionBox(ws.map((w) => w.box)), confidence: 0.9, words: ws };
  };
  // One engine block: two item lines, then three label … amount rows.
  const receipt = block([
    line(200, 100, ['CHOPPING', 'BOARD', '35.5X25.5CM']), line(200, 150, ['AIR', 'PRESSURE', 'SPRAYER']),
    row(200, ['TOTAL'], '33.92'), row(250, ['ROUNDING'], '-0.02'), row(300, ['CASH'], '50.00'),
  ]);
  const out = await analyseLayout(page([receipt]));
  assert.deepEqual(out.blocks.map((b) => b.kind), ['text', 'table']);
  const txt = renderTxt({ pages: [out], languages: [] });
  assert.ok(txt.indexOf('SPRAYER') < txt.indexOf('TOTAL'), txt);
});

test('a tall mark across two receipt rows (a handwritten total circled beside CASH and CHANGE) merges neither row with the next', async () => {
  const cell = (x: number, y: number, words: string[], h = H) => line(x, y, words, h).words;
  const row = (y: number, label: string, amount: string): Line => {
    const ws = [...cell(200, y, [label]), ...cell(1400, y, ['RM', amount])];
    return { text: `${label} RM ${amount}`, box: unionBox(ws.map((w) => w.box)), confidence: 0.9, words: ws };
  };
  const rows = [row(100, 'TOTAL', '33.92'), row(140, 'ROUNDING', '-0.02'), row(180, 'ROUNDED', '33.90'), row(220, 'CASH', '50.00'), row(260, 'CHANGE', '16.10')];
  // Twice a row's height, centred between CASH and CHANGE, beside the labels.
  const mark = line(300, 215, ['30.90'], 2 * H);
  const out = await analyseLayout(page([block([...rows.slice(0, 4), mark, rows[4]])]));
  const txt = renderTxt({ pages: [out], languages: [] });
  const lines = txt.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
  assert.ok(lines.some((l) => /^CHANGE RM 16\.10$/.test(l)), txt);
  assert.ok(!lines.some((l) => /CASH.*CHANGE|CHANGE.*CASH/.test(l)), txt);
  assert.ok(lines.some((l) => /\bCASH\b.*RM 50\.00$/.test(l)), txt);
});

test('narrow prose columns beside a picture (short lines, several words each) are not an aligned table', async () => {
  const left = ['that historians remain igno-', 'rant of its origins. They be-', 'lieve it may have grown out of', 'the Greco-Roman city of Epi-'];
  const right = ['but several thousand beds', 'have become available in', 'other hotels and private', 'homes. A few travel compa-'];
  const rows = left.map((l, i) => {
    const ws = [...line(200, 300 + 45 * i, l.split(' ')).words, ...line(1500, 300 + 45 * i, right[i].split(' ')).words];
    return { text: `${l} ${right[i]}`, box: unionBox(ws.map((w) => w.box)), confidence: 0.9, words: ws } as Line;
  });
  const out = await analyseLayout(page([block(rows)]));
  assert.ok(out.blocks.every((b) => b.kind !== 'table'), JSON.stringify(out.blocks.map((b) => b.kind)));
});

test('single-line blocks are grouped into paragraphs; a large short line becomes a heading', async () => {
  const title = block([line(200, 100, ['Annual', 'Report'], 70)]);
  const lines = [0, 1, 2, 3].map((i) => block([line(200, 250 + i * 38, ['body', 'text', 'line', String(i)])]));
  const second = [0, 1, 2].map((i) => block([line(200, 600 + i * 38, ['next', 'paragraph', String(i)])]));
  const out = await analyseLayout(page([title, ...lines, ...second]));
  assert.deepEqual(out.blocks.map((b) => [b.kind, b.lines.length]), [['heading', 1], ['text', 4], ['text', 3]]);
});

test('ruled tables are found on the page image, with merged cells', async () => {
  // A 3x3 grid drawn at 300 dpi whose first column's two lower cells are merged.
  const W = 1200, Hh = 600;
  const rule = (x: number, y: number, w: number, h: number) => `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="black"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Hh}"><rect width="100%" height="100%" fill="white"/>
    ${[100, 200, 300, 400].map((y) => (y === 300 ? rule(400, y, 600, 3) : rule(0 + 0, y, 1000, 3))).join('')}
    ${[0, 400, 700, 1000].map((x) => rule(x, 100, 3, 303)).join('')}</svg>`;
  const data = await sharp(Buffer.from(svg)).png().toBuffer();
  const cellLine = (x: number, y: number, t: string) => line(x, y, [t], 40);
  const lines = [cellLine(50, 130, 'Head'), cellLine(450, 130, 'A'), cellLine(750, 130, 'B'),
    cellLine(50, 280, 'Merged'), cellLine(450, 230, 'c1'), cellLine(750, 230, 'd1'), cellLine(450, 330, 'c2'), cellLine(750, 330, 'd2')];
  const p = { ...emptyPage(1, W, Hh, 300), blocks: lines.map((l) => block([l])) };
  const out = await analyseLayout(p, { data, width: W, height: Hh, dpi: 300, index: 1 });
  const t = out.blocks.find((b) => b.kind === 'table')?.table;
  assert.ok(t, 'a table');
  assert.equal(t.rows, 3);
  assert.equal(t.cols, 3);
  const merged = t.cells.find((c) => c.lines[0]?.text === 'Merged');
  assert.deepEqual(merged && [merged.row, merged.col, merged.rowSpan, merged.colSpan], [1, 0, 2, 1]);
});

test('a ruled grid on a dark, textured ground (bricks, foliage in a photo) is not a table', async () => {
  // A 10x10 grid of rules, 80 px apart, over a fine checkerboard (half dark, no run long enough
  // to be a rule), with two lines of text running across it.
  const W = 1000, Hh = 1000;
  const rules = Array.from({ length: 11 }, (_, i) => 100 + i * 80);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Hh}">
    <defs><pattern id="c" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="white"/><rect width="4" height="4"/><rect x="4" y="4" width="4" height="4"/></pattern></defs>
    <rect width="100%" height="100%" fill="white"/><rect x="100" y="100" width="800" height="800" fill="url(#c)"/>
    ${rules.map((v) => `<rect x="100" y="${v}" width="803" height="3"/><rect x="${v}" y="100" width="3" height="803"/>`).join('')}</svg>`;
  const data = await sharp(Buffer.from(svg)).png().toBuffer();
  const lines = [line(120, 200, ['a', 'sign', 'across', 'the', 'bricks'], 40), line(120, 440, ['another', 'one', 'here'], 40)];
  const out = await analyseLayout({ ...emptyPage(1, W, Hh, 300), blocks: [block(lines)] }, { data, width: W, height: Hh, dpi: 300, index: 1 });
  assert.equal(out.blocks.filter((b) => b.kind === 'table').length, 0);
  assert.deepEqual(out.blocks.flatMap((b) => b.lines.map((l) => l.text)), ['a sign across the bricks', 'another one here']);
});

test('a table ruled only around its header and body: rows and columns from the text inside the rules', async () => {
  // Rules: top, header bottom and bottom across the table, outer verticals, and the inner
  // column borders drawn in the header only (as spreadsheets printed with group borders are).
  const W = 1400, Hh = 900;
  const rule = (x: number, y: number, w: number, h: number) => `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="black"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Hh}"><rect width="100%" height="100%" fill="white"/>
    ${[100, 200, 700].map((y) => rule(100, y, 1200, 3)).join('')}
    ${[100, 1300].map((x) => rule(x, 100, 3, 603)).join('')}
    ${[500, 900].map((x) => rule(x, 100, 3, 103)).join('')}</svg>`;
  const data = await sharp(Buffer.from(svg)).png().toBuffer();
  const cell = (x: number, y: number, t: string) => line(x, y, [t], 36);
  const header = [cell(150, 130, 'Name'), cell(550, 130, 'Jan'), cell(950, 130, 'Feb')];
  const body = [0, 1, 2, 3, 4].flatMap((i) => [cell(150, 230 + i * 90, `row${i}`), cell(550, 230 + i * 90, `${i}.10`), cell(950, 230 + i * 90, `${i}.20`)]);
  const p = { ...emptyPage(1, W, Hh, 300), blocks: [...header, ...body].map((l) => block([l])) };
  const out = await analyseLayout(p, { data, width: W, height: Hh, dpi: 300, index: 1 });
  const t = out.blocks.find((b) => b.kind === 'table')?.table;
  assert.ok(t, 'a table');
  assert.equal(t.rows, 6);
  assert.equal(t.cols, 3);
  const at = (text: string) => t.cells.find((c) => c.lines[0]?.text === text);
  assert.deepEqual(['Feb', 'row3', '3.20'].map((s) => { const c = at(s); return c && [c.row, c.col, c.rowSpan, c.colSpan]; }),
    [[0, 2, 1, 1], [4, 0, 1, 1], [4, 2, 1, 1]]);
});

test('a three-line table (horizontal rules only) becomes a table; prose between two rules does not', async () => {
  const W = 1400, Hh = 1500;
  const rule = (y: number) => `<rect x="100" y="${y}" width="1200" height="3" fill="black"/>`;
  // The table's top, header and bottom rules; below it a note boxed by two more rules.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Hh}"><rect width="100%" height="100%" fill="white"/>
    ${[100, 180, 560, 900, 1100].map(rule).join('')}</svg>`;
  const data = await sharp(Buffer.from(svg)).png().toBuffer();
  const cell = (x: number, y: number, t: string) => line(x, y, [t], 36);
  const header = [cell(150, 120, 'Grade'), cell(600, 120, 'Lanes'), cell(1000, 120, 'Area')];
  const body = [0, 1, 2, 3].flatMap((i) => [cell(150, 210 + i * 85, `g${i}`), cell(600, 210 + i * 85, String(8 - 2 * i)), cell(1000, 210 + i * 85, `${i}.333`)]);
  const note = [0, 1, 2].map((i) => line(150, 930 + i * 50, ['This', 'note', 'is', 'a', 'sentence', 'of', 'ordinary', 'prose', 'text', String(i)], 36));
  const p = { ...emptyPage(1, W, Hh, 300), blocks: [...header, ...body].map((l) => block([l])).concat([block(note)]) };
  const out = await analyseLayout(p, { data, width: W, height: Hh, dpi: 300, index: 1 });
  const ts = out.blocks.filter((b) => b.kind === 'table');
  assert.equal(ts.length, 1, 'one table');
  assert.deepEqual([ts[0].table!.rows, ts[0].table!.cols], [5, 3]);
  // Bounded by the rules (not just by the text's alignment).
  assert.ok(Math.abs(ts[0].box.x - 100) < 5 && Math.abs(ts[0].box.y - 101) < 5 && Math.abs(ts[0].box.y + ts[0].box.h - 561) < 5, JSON.stringify(ts[0].box));
  assert.ok(out.blocks.some((b) => b.kind === 'text' && b.lines.length === 3), 'the note stays a paragraph');
});
