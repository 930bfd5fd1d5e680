import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRenderCases, type RenderCase } from '../../bench/lib/render-cases.js';
import { createRenderers } from '../../src/renderers/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { openReadBack, pdfPages, pdfTextCer, zipText, type ReadBack } from './render-read-back.js';

const CORPUS = path.resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/corpus');
const renderer = createRenderers();
let cases: RenderCase[] = [];
let lo: ReadBack;

before(async () => {
  cases = await loadRenderCases(CORPUS);
  lo = await openReadBack();
}, { timeout: 600_000 });
after(async () => { await lo?.close(); });


test('pptx opens in LibreOffice with one slide per page and reads back as the txt result', async () => {
  for (const c of cases) {
    const pptx = await renderer('pptx').render(c.input);
    const slides = (await zipText(pptx)).split('\n').filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    assert.equal(slides.length, c.input.doc.pages.length, `${c.name}: slides`);
    const pdf = await lo.convert(pptx, 'pptx', 'pdf');
    assert.equal(await pdfPages(pdf), c.input.doc.pages.length, `${c.name}: pages after LibreOffice`);
    const e = await pdfTextCer(pdf, renderTxt(c.input.doc));
    assert.ok(e <= 0.05, `${c.name}: CER ${e.toFixed(3)}`);
  }
});
