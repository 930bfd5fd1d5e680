/**
 * Normaliser on every PDF, image and format file of the corpus, and the hostile files that
 * are not Office documents: each outcome allowed by the manifest, text layers extracted
 * exactly, scans rendered at 300 dpi, nothing left in the work dir.
 */
import type { DocrError } from '../../src/domain/errors.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { cer } from '../../bench/lib/cer.js';
import { bagError, CORPUS, describeCorpus, manifest } from './normalise-corpus.js';

const isOffice = (format: string) => ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'].includes(format);
const files = manifest.files.filter((f) => !isOffice(f.format) && f.kind !== 'office');

/** Born-digital PDFs whose text layer is in the same order as pdftotext's (the GT). */
const SAME_ORDER = new Set(['pdf/pypdf_crazyones.pdf', 'pdf/samplefiles_pdflatex-4-pages.pdf', 'pdf/pypdf_multilang.pdf',
  'pdf/pypdf_r2-user-password.pdf', 'pdf/pypdf_r4-aes-user-password.pdf', 'pdf/pypdf_r6-user-password.pdf', 'pdf/tika_testPassword4Spaces.pdf']);
/** Tables: pdftotext reads them column by column, MuPDF row by row; the characters must still all be there. */
const TABLES = new Set(['pdf/pypdf_issue-914-xmp-data.pdf', 'pdf/pdfplumber_issue-336-example.pdf']);
const SCANNED = new Set(['pdf/tika_testOCR.pdf', 'pdf/ocrmypdf_ccitt.pdf', 'pdf/ocrmypdf_jbig2.pdf', 'pdf/ocrmypdf_francais.pdf']);

describeCorpus('normalise: pdf, images, formats, hostile', files, { officeWarm: false }, async (f, expected, outcome) => {
  if (!outcome.ok) return;
  for (const p of outcome.pages) assert.ok(p.textPage || p.image, `page ${p.index} has text or an image`);
  if (expected !== 'ok' || !f.gt_path) return;
  const gt = await readFile(path.join(CORPUS, f.gt_path), 'utf8');
  if (SAME_ORDER.has(f.path)) assert.ok(cer(outcome.text, gt) < 0.005, `CER ${cer(outcome.text, gt)}`);
  if (TABLES.has(f.path)) assert.ok(bagError(outcome.text, gt) < 0.01, `character-bag error ${bagError(outcome.text, gt)}`);
  if (SAME_ORDER.has(f.path) || TABLES.has(f.path)) assert.ok(outcome.pages.every((p) => p.textPage && !p.image), 'no OCR needed');
  if (SCANNED.has(f.path)) {
    for (const p of outcome.pages) {
      assert.ok(p.image && !p.textPage, 'scanned page is rendered for OCR');
      assert.equal(p.image.dpi, 300);
    }
  }
}, ({ normaliser, workDir }) => {
  test('a page selection yields only those pages; one past the end is a clear -7', async () => {
    const file = path.join(CORPUS, 'pdf/samplefiles_pdflatex-4-pages.pdf');
    const doc = await normaliser.open({ path: file, workDir: workDir(), pages: [[2, 3], [9, 9]] });
    const seen: number[] = [];
    try {
      for await (const p of doc.pages()) seen.push(p.index);
    } finally { await doc.close(); }
    assert.deepEqual(seen, [2, 3]);
    assert.equal(doc.pageCount, 4);
    await assert.rejects(normaliser.open({ path: file, workDir: workDir(), pages: [[5, 6]] }),
      (e: DocrError) => e.code === 'INVALID_FILE' && /pages=5-6 selects no page: the document has 4/.test(e.message));
  });

  test('text-layer words carry positions inside the page, in pixels at the page dpi', async () => {
    const doc = await normaliser.open({ path: path.join(CORPUS, 'pdf/pypdf_crazyones.pdf'), workDir: workDir() });
    try {
      for await (const p of doc.pages()) {
        const page = p.textPage!;
        assert.equal(page.dpi, 300);
        assert.equal(page.width, 2550); // US Letter: 8.5 in × 300
        const words = page.blocks.flatMap((b) => b.lines.flatMap((l) => l.words));
        assert.ok(words.length > 100);
        for (const w of words) assert.ok(w.box.x >= 0 && w.box.y >= 0 && w.box.x + w.box.w <= page.width + 1 && w.box.y + w.box.h <= page.height + 1);
        const image = await p.renderImage();
        assert.deepEqual([image.width, image.height], [page.width, page.height], 'the rendered page matches the text page');
      }
    } finally { await doc.close(); }
  });
});
