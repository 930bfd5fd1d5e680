import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PDFDocument } from 'pdf-lib';
import type { Line, OcrDocument } from '../../src/domain/ocr-tree.js';
import { emptyPage } from '../../src/domain/ocr-tree.js';
import { createRenderers } from '../../src/renderers/index.js';
import { OUTPUT_FORMATS, EXTRA_OUTPUT_FORMATS } from '../../src/contract/formats.js';

const l = (text: string, x: number, y: number): Line => ({
  text, box: { x, y, w: 100, h: 30 }, confidence: 0.87, words: [{ text, box: { x, y, w: 100, h: 30 }, confidence: 0.87 }],
});

function doc(): OcrDocument {
  const p = emptyPage(1, 1000, 1000, 300);
  const a = l('a & b', 10, 10), b = l('<c>', 200, 10), c = l('中文', 10, 60);
  p.blocks = [
    { kind: 'heading', box: a.box, lines: [a] },
    { kind: 'table', box: { x: 0, y: 0, w: 400, h: 100 }, lines: [b, c], table: { rows: 2, cols: 2, cells: [
      { row: 0, col: 1, rowSpan: 1, colSpan: 1, box: b.box, lines: [b] },
      { row: 1, col: 0, rowSpan: 1, colSpan: 2, box: c.box, lines: [c] },
    ] } },
  ];
  return { pages: [p], languages: ['English'] };
}

const input = () => ({ doc: doc(), pageImage: () => Promise.reject(new Error('not needed')) });

test('every output format has a renderer', () => {
  const get = createRenderers();
  for (const f of [...OUTPUT_FORMATS, ...EXTRA_OUTPUT_FORMATS]) assert.equal(get(f).format, f);
  assert.throws(() => get('rtf' as never), (e: { code?: string }) => e.code === 'BAD_PARAMETER');
});

test('json is the tree with boxes and confidences', async () => {
  const out = JSON.parse((await createRenderers()('json').render(input())).toString('utf8'));
  assert.equal(out.version, 1);
  assert.equal(out.pages[0].blocks[1].table.cells[1].colSpan, 2);
  assert.equal(out.pages[0].blocks[0].lines[0].words[0].confidence, 0.87);
});

test('hocr is well-formed XHTML with escaped text, word confidences and table spans', async () => {
  const html = (await createRenderers()('hocr').render(input())).toString('utf8');
  assert.match(html, /class="ocr_page" id="page_1" title="bbox 0 0 1000 1000; ppageno 0; scan_res 300 300"/);
  assert.match(html, />a &amp; b</);
  assert.match(html, />&lt;c&gt;</);
  assert.match(html, /x_wconf 87/);
  // An empty grid position keeps its place before the cell at column 1.
  assert.match(html, /<tr><td><\/td><td title=/);
  assert.match(html, /<td colspan="2"/);
  // Balanced tags (a cheap well-formedness check without an XML parser).
  for (const tag of ['div', 'p', 'span', 'table', 'tr', 'td']) {
    assert.equal((html.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length, (html.match(new RegExp(`</${tag}>`, 'g')) ?? []).length, tag);
  }
});

test('a page that could not be read stays as a blank page in pdf, pptx and docx', async () => {
  const d = doc();
  d.pages.push({ ...emptyPage(2, 0, 0, 300), warnings: ['page 2 could not be read'] });
  const noImage = { doc: d, pageImage: () => Promise.reject(new Error('no image')) };
  const pdf = await PDFDocument.load(await createRenderers()('pdf').render(noImage));
  assert.equal(pdf.getPageCount(), 2);
  const pptx = await createRenderers()('pptx').render(noImage);
  assert.ok(pptx.includes(Buffer.from('ppt/slides/slide2.xml')));
  const docx = await createRenderers()('docx').render(noImage);
  assert.ok(docx.length > 0);
  await createRenderers()('xlsx').render(noImage);
});

test('docx columns: side-by-side narrow blocks in column order form a two-column run', async () => {
  const { columnRuns } = await import('../../src/renderers/docx/columns.js');
  const p = emptyPage(1, 2000, 3000, 300);
  const b = (x: number, y: number, w: number, text: string) => {
    const line = l(text, x, y);
    return { kind: 'text' as const, box: { x, y, w, h: 200 }, lines: [{ ...line, box: { x, y, w, h: 200 } }] };
  };
  p.blocks = [b(100, 100, 1800, 'title'), b(100, 400, 850, 'left 1'), b(100, 700, 850, 'left 2'), b(1050, 400, 850, 'right 1'), b(100, 1200, 1800, 'footer')];
  const runs = columnRuns(p);
  assert.deepEqual(runs.map((r) => [r.columns, r.column]), [[1, [0]], [2, [0, 0, 1]], [1, [0]]]);
  // Interleaved reading order (left, right, left) cannot flow in Word columns: kept in one column.
  p.blocks = [b(100, 400, 850, 'l1'), b(1050, 400, 850, 'r1'), b(100, 700, 850, 'l2')];
  assert.deepEqual(columnRuns(p).map((r) => r.columns), [1]);
});
