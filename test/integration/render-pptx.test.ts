import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderers } from '../../src/renderers/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { pdfPages, pdfTextCer, zipText, renderSuite } from './render-read-back.js';

const renderer = createRenderers();
const suite = renderSuite();


test('pptx opens in LibreOffice with one slide per page and reads back as the txt result', async () => {
  for (const c of suite.cases()) {
    const pptx = await renderer('pptx').render(c.input);
    const slides = (await zipText(pptx)).split('\n').filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    assert.equal(slides.length, c.input.doc.pages.length, `${c.name}: slides`);
    const pdf = await suite.lo().convert(pptx, 'pptx', 'pdf');
    assert.equal(await pdfPages(pdf), c.input.doc.pages.length, `${c.name}: pages after LibreOffice`);
    const e = await pdfTextCer(pdf, renderTxt(c.input.doc));
    assert.ok(e <= 0.05, `${c.name}: CER ${e.toFixed(3)}`);
  }
});
