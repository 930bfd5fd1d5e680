import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cer } from '../../bench/lib/cer.js';
import { treesFromPdfText } from '../../bench/lib/tree-from-tools.js';
import { createRenderers } from '../../src/renderers/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { zipText, renderSuite } from './render-read-back.js';

const renderer = createRenderers();
const suite = renderSuite();

const zhTable = () => suite.byName('zh-table-pdf');

test('docx opens in LibreOffice and reads back as the txt result', async () => {
  for (const c of suite.cases()) {
    const docx = await renderer('docx').render(c.input);
    const text = (await suite.lo().convert(docx, 'docx', 'txt:Text (encoded):UTF8')).toString('utf8');
    const e = cer(text, renderTxt(c.input.doc), 'cjk');
    assert.ok(e <= 0.05, `${c.name}: CER ${e.toFixed(3)}`);
  }
});

test('docx: the table page holds Word tables with merged cells; a new page per page', async () => {
  const c = zhTable();
  const xml = await zipText(await renderer('docx').render(c.input), 'word/document.xml');
  assert.equal((xml.match(/<w:tbl>/g) ?? []).length, 3, 'three tables on the page');
  assert.match(xml, /<w:gridSpan w:val="5"\/>/, '大型车比例 spans five columns');
  assert.match(xml, /<w:vMerge w:val="continue"\/>/);
  const multi = suite.byName('scanned-multipage-pdf');
  const mxml = await zipText(await renderer('docx').render(multi.input), 'word/document.xml');
  // Each page starts a section on a new page (runs of columns continue it).
  assert.equal((mxml.match(/<w:type w:val="nextPage"\/>/g) ?? []).length, multi.input.doc.pages.length);
});

test('docx: a text-layer page as the pipeline hands it over (not analysed) still gets its tables', async () => {
  const c = zhTable();
  const pages = await treesFromPdfText(Buffer.from(c.input.sourcePdf!), 300);
  assert.ok(pages[0].blocks.every((b) => b.kind !== 'table'));
  const xml = await zipText(await renderer('docx').render({ ...c.input, doc: { ...c.input.doc, pages } }), 'word/document.xml');
  assert.equal((xml.match(/<w:tbl>/g) ?? []).length, 3);
});
