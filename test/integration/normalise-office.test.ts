/**
 * Normaliser on every Office file of the corpus (and the hostile ones): LibreOffice
 * conversion, decryption with the manifest's passwords, zip/XML bombs refused; each outcome
 * allowed by the manifest, key phrases present, nothing left in the work dir.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { CORPUS, describeCorpus, manifest, normalise } from './normalise-corpus.js';

const OFFICE = ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'];
const files = manifest.files.filter((f) => f.kind === 'office' || OFFICE.includes(f.format));
/** Phrases that live only inside embedded pictures (OCR's job) or in nothing LibreOffice prints (a sheet name). */
const NOT_IN_TEXT_LAYER = new Set(['Happy New Year 2003!', 'Foglio1']);
const squash = (s: string) => s.replace(/\s+/gu, ' ');

describeCorpus('normalise: office', files, { officeTimeoutMs: 90_000 }, async (f, expected, outcome) => {
  if (!outcome.ok || expected !== 'ok') return;
  for (const phrase of f.gt_contains ?? []) {
    if (NOT_IN_TEXT_LAYER.has(phrase)) continue;
    assert.ok(squash(outcome.text).includes(phrase), `${f.path}: text layer contains "${phrase}"`);
  }
  if (/testOCR_/.test(f.path)) {
    const marked = outcome.pages.filter((p) => p.textPage && p.image);
    assert.ok(marked.length > 0, 'a page with a picture of text is marked for OCR too');
    assert.ok(marked[0].textPage!.blocks.some((b) => b.kind === 'figure'), 'the picture region is given as a figure block');
  }
}, ({ normaliser, workDir }) => {
  test('a PDF saved with an Office name is read as the PDF it is', async () => {
    const outcome = await normalise(normaliser, path.join(CORPUS, 'hostile/extension-lie_pdf-content.docx'), undefined, workDir());
    assert.ok(outcome.ok && outcome.kind === 'pdf');
  });
  test('an Excel 95 workbook with no cell text is refused as unsupported once its blank pages are seen', async () => {
    const outcome = await normalise(normaliser, path.join(CORPUS, 'office/tika_testEXCEL_95.xls'), undefined, workDir());
    assert.ok(!outcome.ok && outcome.code === 'UNSUPPORTED_FORMAT' && /Excel 5\.0\/95/.test(outcome.message), JSON.stringify(outcome));
  });
  test('an Excel 97+ workbook with cell text is read as usual', async () => {
    const outcome = await normalise(normaliser, path.join(CORPUS, 'office/tika_testEXCEL_xls.xls'), undefined, workDir());
    assert.ok(outcome.ok && outcome.text.trim() !== '');
  });
});
