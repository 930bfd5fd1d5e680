import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cer } from '../../bench/lib/cer.js';
import { loadRenderCases, type RenderCase } from '../../bench/lib/render-cases.js';
import { createRenderers } from '../../src/renderers/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { openReadBack, zipText, type ReadBack } from './render-read-back.js';

const CORPUS = path.resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/corpus');
const renderer = createRenderers();
let cases: RenderCase[] = [];
let lo: ReadBack;

before(async () => {
  cases = await loadRenderCases(CORPUS);
  lo = await openReadBack();
}, { timeout: 600_000 });
after(async () => { await lo?.close(); });

const zhTable = () => cases.find((c) => c.name === 'zh-table-pdf')!;

test('docx opens in LibreOffice and reads back as the txt result', async () => {
  for (const c of cases) {
    const docx = await renderer('docx').render(c.input);
    const text = (await lo.convert(docx, 'docx', 'txt:Text (encoded):UTF8')).toString('utf8');
    const e = cer(text, renderTxt(c.input.doc), 'cjk');
    assert.ok(e <= 0.05, `${c.name}: CER ${e.toFixed(3)}`);
  }
});

test('docx: the table page holds Word tables with merged cells, one section per page', async () => {
  const c = zhTable();
  const xml = await zipText(await renderer('docx').render(c.input), 'word/document.xml');
  assert.equal((xml.match(/<w:tbl>/g) ?? []).length, 3, 'three tables on the page');
  assert.match(xml, /<w:gridSpan w:val="5"\/>/, '大型车比例 spans five columns');
  assert.match(xml, /<w:vMerge w:val="continue"\/>/);
  const multi = cases.find((x) => x.name === 'scanned-multipage-pdf')!;
  const mxml = await zipText(await renderer('docx').render(multi.input), 'word/document.xml');
  assert.equal((mxml.match(/<w:sectPr/g) ?? []).length, multi.input.doc.pages.length);
});
