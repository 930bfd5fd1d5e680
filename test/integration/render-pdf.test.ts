import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Box, Page } from '../../src/domain/ocr-tree.js';
import { createRenderers } from '../../src/renderers/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { pdfPageSizes, pdfPages, pdfText, pdfTextCer, qpdfCheck, renderSuite } from './render-read-back.js';

const render = createRenderers()('pdf');
const suite = renderSuite();

test('pdf: every case keeps its page count, passes qpdf --check and extracts the txt result', async () => {
  for (const c of suite.cases()) {
    const pdf = await render.render(c.input);
    assert.equal(await pdfPages(pdf), c.input.doc.pages.length, `${c.name}: page count`);
    const check = await qpdfCheck(pdf);
    assert.ok(check.ok, `${c.name}: qpdf --check\n${check.output}`);
    const e = await pdfTextCer(pdf, renderTxt(c.input.doc));
    assert.ok(e <= 0.05, `${c.name}: CER ${e.toFixed(3)} of pdftotext against the txt result`);
  }
});

test('pdf over a source PDF keeps its page sizes and vector text; scans gain only the text layer', async () => {
  for (const c of suite.cases().filter((x) => x.input.sourcePdf)) {
    const pdf = await render.render(c.input);
    const n = c.input.doc.pages.length;
    assert.deepEqual(await pdfPageSizes(pdf, n), await pdfPageSizes(Buffer.from(c.input.sourcePdf!), n), c.name);
    // A few kilobytes per scanned page, not a re-encoded copy of the images.
    assert.ok(pdf.length < c.input.sourcePdf!.length + 40_000 * n, `${c.name}: ${pdf.length} bytes from ${c.input.sourcePdf!.length}`);
  }
});

test('pdf from page images: the glyphless text layer extracts Chinese and the scan stays small', async () => {
  const zh = suite.byName('zh-table-pdf');
  const scanned = { ...zh.input, sourcePdf: undefined, doc: { ...zh.input.doc, pages: zh.input.doc.pages.map((p) => ({ ...p, source: 'ocr' as const })) } };
  const pdf = await render.render(scanned);
  const text = await pdfText(pdf);
  assert.match(text, /停车区用地指标基准值/);
  const e = await pdfTextCer(pdf, renderTxt(scanned.doc));
  assert.ok(e <= 0.05, `CER ${e.toFixed(3)}`);
  assert.ok((await qpdfCheck(pdf)).ok);

  const en = suite.byName('en-page-image');
  const enPdf = await render.render(en.input);
  // A 1-bit 300 dpi scan stays 1-bit: the PDF is within a small factor of the PNG.
  assert.ok(enPdf.length < en.inputBytes * 2, `${enPdf.length} bytes from a ${en.inputBytes}-byte PNG`);
  const [size] = await pdfPageSizes(enPdf, 1);
  assert.equal(size, '612x792');
});

test('pdf over a source PDF adds, on a mixed page, only the lines OCR found in its pictures', async () => {
  const zh = suite.byName('zh-table-pdf');
  const page = zh.input.doc.pages[0];
  const word = { text: 'Pictured', box: { x: 300, y: 3300, w: 400, h: 60 }, confidence: 0.9 };
  const ocrLine = { text: word.text, box: word.box, confidence: 0.9, words: [word] };
  const mixed = { ...page, source: 'mixed' as const, blocks: [...page.blocks, { kind: 'figure' as const, box: { x: 250, y: 3250, w: 600, h: 150 }, lines: [ocrLine] }] };
  const pdf = await render.render({ ...zh.input, doc: { ...zh.input.doc, pages: [mixed] } });
  const text = await pdfText(pdf);
  assert.equal(text.match(/Pictured/g)?.length, 1);
  // The vector text is not laid twice.
  assert.equal(text.match(/停车区用地指标基准值/g)?.length, 1);
  assert.ok((await qpdfCheck(pdf)).ok);
});

test('pdf from a page the engine had to turn: the text layer is turned with it', async () => {
  const en = suite.byName('en-page-image');
  const upright = en.input.doc.pages[0];
  const img = await en.input.pageImage(1);
  // The page as given: the upright page turned a quarter counter-clockwise (the engine turned it back).
  const W = upright.width;
  const turn = (b: Box): Box => ({ x: b.y, y: W - (b.x + b.w), w: b.h, h: b.w });
  const page: Page = {
    ...upright, width: upright.height, height: upright.width, rotation: 90,
    blocks: upright.blocks.map((b) => ({ ...b, box: turn(b.box), table: undefined, kind: b.kind === 'table' ? 'text' : b.kind,
      lines: b.lines.map((l) => ({ ...l, box: turn(l.box), words: l.words.map((w) => ({ ...w, box: turn(w.box) })) })) })),
  };
  const data = await sharp(img.data).rotate(270).png().toBuffer();
  const input = { doc: { pages: [page], languages: ['English'] }, pageImage: async () => ({ ...img, data, width: img.height, height: img.width }) };
  const pdf = await render.render(input);
  const e = await pdfTextCer(pdf, renderTxt(input.doc));
  assert.ok(e <= 0.05, `CER ${e.toFixed(3)}`);
  const [size] = await pdfPageSizes(pdf, 1);
  assert.equal(size, '792x612');
});

test('pdf over a source PDF with a page selection keeps just those source pages, vector text and all', async () => {
  const c = suite.cases().find((x) => x.input.sourcePdf && x.input.doc.pages.length > 2)!;
  const picked = c.input.doc.pages.slice(1, 3);
  const input = { ...c.input, doc: { ...c.input.doc, pages: picked } };
  const pdf = await render.render(input);
  assert.equal(await pdfPages(pdf), 2);
  assert.ok(pdf.length < c.input.sourcePdf!.length + 40_000 * 2, `${pdf.length} bytes: the source pages were copied, not re-rendered`);
  const e = await pdfTextCer(pdf, renderTxt(input.doc));
  assert.ok(e <= 0.05, `CER ${e.toFixed(3)}`);
});
