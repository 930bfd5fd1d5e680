/**
 * Normaliser on every Office file of the corpus (and the hostile ones): LibreOffice
 * conversion, decryption with the manifest's passwords, zip/XML bombs refused; each outcome
 * allowed by the manifest, key phrases present, nothing left in the work dir.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createNormaliser } from '../../src/normalisers/index.js';
import { allowed, casesOf, CORPUS, describeOutcome, manifest, normalise } from './normalise-corpus.js';

const OFFICE = ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'];
const files = manifest.files.filter((f) => f.kind === 'office' || OFFICE.includes(f.format));
/** Phrases that live only inside embedded pictures (OCR's job) or in nothing LibreOffice prints (a sheet name). */
const NOT_IN_TEXT_LAYER = new Set(['Happy New Year 2003!', 'Foglio1']);
const squash = (s: string) => s.replace(/\s+/gu, ' ');

describe('normalise: office', () => {
  const normaliser = createNormaliser({ officeTimeoutMs: 90_000 });
  let workDir: string;
  before(async () => { workDir = await mkdtemp(path.join(os.tmpdir(), 'docr-normalise-office-')); });
  after(async () => { await normaliser.close(); await rm(workDir, { recursive: true, force: true }); });

  for (const f of files) {
    for (const c of casesOf(f)) {
      test(`${f.path} password=${JSON.stringify(c.password)} → ${c.expected}`, async () => {
        const outcome = await normalise(normaliser, path.join(CORPUS, f.path), c.password, workDir);
        assert.ok(allowed(c.expected, outcome), `${f.path}: expected ${c.expected}, got ${describeOutcome(outcome)}`);
        assert.deepEqual(await readdir(workDir), [], 'work dir is empty after close');
        if (!outcome.ok || c.expected !== 'ok') return;
        for (const phrase of f.gt_contains ?? []) {
          if (NOT_IN_TEXT_LAYER.has(phrase)) continue;
          assert.ok(squash(outcome.text).includes(phrase), `${f.path}: text layer contains "${phrase}"`);
        }
        if (f.tags?.includes('ocr-in-office') || /testOCR_/.test(f.path)) {
          const marked = outcome.pages.filter((p) => p.textPage && p.image);
          assert.ok(marked.length > 0, 'a page with a picture of text is marked for OCR too');
          assert.ok(marked[0].textPage!.blocks.some((b) => b.kind === 'figure'), 'the picture region is given as a figure block');
        }
      });
    }
  }

  test('a PDF saved with an Office name is read as the PDF it is', async () => {
    const outcome = await normalise(normaliser, path.join(CORPUS, 'hostile/extension-lie_pdf-content.docx'), undefined, workDir);
    assert.ok(outcome.ok && outcome.kind === 'pdf');
  });
});
