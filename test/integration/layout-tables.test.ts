/**
 * Table structure on real pages, through the two steps the pipeline takes for a text-layer
 * page: layout without the image (recognition), then again with the page image (the
 * structured renderers). Column alignment alone finds fragments of the Chinese standards
 * page's ruled tables; the second pass must replace them with the whole ruled tables.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Page, Table } from '../../src/domain/ocr-tree.js';
import { analyseLayout } from '../../src/layout/index.js';
import { turnedBack } from '../../src/domain/page-turn.js';
import { pdfPageImage, treesFromPdfText } from '../../bench/lib/tree-from-tools.js';
import { loadRenderCases, officeToPdf } from '../../bench/lib/render-cases.js';

import { CORPUS } from '../fixtures/corpus.js';

async function textLayerPages(rel: string, pdfOf?: Buffer): Promise<Page[]> {
  const pdf = pdfOf ?? await readFile(path.join(CORPUS, rel));
  const trees = await treesFromPdfText(pdf, 300);
  const pages: Page[] = [];
  for (let i = 0; i < trees.length; i++) {
    const image = await pdfPageImage(pdf, i + 1, 300);
    const tree = { ...trees[i], index: i + 1, width: image.width, height: image.height };
    pages.push(await analyseLayout(await analyseLayout(tree), image));
  }
  return pages;
}

const tables = (p: Page): Table[] => p.blocks.filter((b) => b.kind === 'table').map((b) => b.table!);
const cellText = (t: Table, text: string) => t.cells.find((c) => c.lines.map((l) => l.text).join('') === text);

test('the Chinese standards page: tables 7.5, 7.6 and 7.7 whole, with merged first-column cells', async () => {
  const [page] = await textLayerPages('pdf/pdfplumber_issue-336-example.pdf');
  const ts = tables(page);
  assert.equal(ts.length, 3, 'three table blocks');
  const [t75, t76, t77] = ts;
  // 7.5: two header rows + six body rows, five columns; 高速公路 spans its three rows.
  assert.ok(t75.rows >= 8 && t75.cols === 5, `7.5 is ${t75.rows}x${t75.cols}`);
  assert.equal(cellText(t75, '高速公路')?.rowSpan, 3);
  assert.equal(cellText(t75, '一级公路')?.rowSpan, 2);
  assert.ok(cellText(t75, 'Q＜15000'), 'the 二级公路 row is inside 7.5');
  // 7.6: two header rows + nine body rows, eight columns; 高速公路 spans six rows.
  assert.ok(t76.rows >= 11 && t76.cols === 8, `7.6 is ${t76.rows}x${t76.cols}`);
  assert.equal(cellText(t76, '高速公路')?.rowSpan, 6);
  assert.equal(cellText(t76, '大型车比例μ（%）')?.colSpan, 5);
  assert.ok(t77.rows >= 2 && t77.cols === 3, `7.7 is ${t77.rows}x${t77.cols}`);
  // Nothing of the tables is left as loose text.
  const loose = page.blocks.filter((b) => b.kind !== 'table').flatMap((b) => b.lines.map((l) => l.text));
  for (const s of ['Q＜15000', '1.39', '0.5333', '20＜μ≤30']) assert.ok(!loose.some((l) => l.includes(s)), `${s} is not loose text`);
});

test('analysing twice with the image changes nothing', async () => {
  const pdf = await readFile(path.join(CORPUS, 'pdf/pdfplumber_issue-336-example.pdf'));
  const image = await pdfPageImage(pdf, 1, 300);
  const tree = { ...(await treesFromPdfText(pdf, 300))[0], width: image.width, height: image.height };
  const once = await analyseLayout(tree, image);
  const twice = await analyseLayout(once, image);
  assert.deepEqual(tables(twice).map((t) => [t.rows, t.cols, t.cells.length]), tables(once).map((t) => [t.rows, t.cols, t.cells.length]));
});

test('a page the engine turned to read is analysed upright: the same tables as the upright page', async () => {
  const pdf = await readFile(path.join(CORPUS, 'pdf/pdfplumber_issue-336-example.pdf'));
  const image = await pdfPageImage(pdf, 1, 300);
  const tree = { ...(await treesFromPdfText(pdf, 300))[0], width: image.width, height: image.height };
  const upright = await analyseLayout(tree, image);
  // The page as a scan fed in sideways: image and boxes a quarter counter-clockwise, rotation 90.
  const givenImage = { ...image, data: await sharp(image.data).rotate(270).png().toBuffer(), width: image.height, height: image.width };
  const turned = await analyseLayout(turnedBack(tree, 90), givenImage);
  assert.equal(turned.rotation, 90);
  const boxes = (p: Page) => p.blocks.map((b) => Object.values(b.box).map((v) => v.toFixed(1)).join(','));
  assert.deepEqual(boxes(turned), boxes(turnedBack(upright, 90)), 'blocks in the frame of the image as given');
  const shape = (p: Page) => tables(p).map((t) => [t.rows, t.cols, t.cells.map((c) => `${c.row},${c.col}:${c.lines.map((l) => l.text).join('')}`).join('|')]);
  assert.deepEqual(shape(turned), shape(upright));
  assert.equal(tables(turned).length, 3);
});

test('a spreadsheet ruled only around groups of rows: every text row a table row', async () => {
  const pdf = await officeToPdf(path.join(CORPUS, 'office/poi_stress020.xlsx'));
  const [page] = await textLayerPages('office/poi_stress020.xlsx', pdf);
  const [t] = tables(page);
  // A header row and forty body rows (six groups and the exchange-rate line), five columns.
  assert.ok(t && t.rows >= 41 && t.cols === 5, `table is ${t?.rows}x${t?.cols}`);
  const feb = cellText(t, '2月'), mar = cellText(t, '3月');
  assert.ok(feb && mar && feb.col !== mar.col && feb.colSpan === 1, '2月 and 3月 are separate columns');
  assert.ok(t.cells.every((c) => c.lines.length <= 2), 'no cell swallows a group of rows');
});

test('prose pages gain no tables', async () => {
  for (const p of await textLayerPages('pdf/samplefiles_pdflatex-4-pages.pdf')) assert.equal(tables(p).length, 0, `page ${p.index}`);
  const [en] = await loadRenderCases(CORPUS, ['en-page-image']);
  assert.equal(tables(en.input.doc.pages[0]).length, 0, 'ocrmypdf_linn.png');
});
