/** `docr ocr` end to end on real corpus files: outputs named after the inputs, CER thresholds, formats, passwords, exit codes. */
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cer } from '../../bench/lib/cer.js';
import { runOcrCommand } from '../../src/cli/ocr-command.js';
import { corpusPath, groundTruth } from '../fixtures/corpus.js';

function withTempDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'docr-ocr-'));
    try { await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
}

test('several files into a directory, one txt per input', withTempDir(async (dir) => {
  const en = 'images-en/tessjs_testocr.png', de = 'images-other/pytesseract_test-european.jpg';
  const code = await runOcrCommand([corpusPath(en), corpusPath(de), '-l', 'English,German', '-o', dir]);
  assert.equal(code, 0);
  assert.deepEqual(readdirSync(dir).sort(), ['pytesseract_test-european.txt', 'tessjs_testocr.txt']);
  const c = cer(readFileSync(path.join(dir, 'tessjs_testocr.txt'), 'utf8'), groundTruth(en));
  assert.ok(c < 0.05, `CER ${c}`);
}));

test('default languages (PP-OCR): a Chinese text image to a named txt file', withTempDir(async (dir) => {
  const zh = 'images-zh/cnocr_multi-line_cn1.png';
  const out = path.join(dir, 'out.txt');
  assert.equal(await runOcrCommand([corpusPath(zh), '-o', out]), 0);
  const c = cer(readFileSync(out, 'utf8'), groundTruth(zh));
  assert.ok(c < 0.1, `CER ${c}`);
}));

test('one file to a named json file: the OCR tree', withTempDir(async (dir) => {
  const out = path.join(dir, 'tree.json');
  const code = await runOcrCommand([corpusPath('images-en/tessjs_testocr.png'), '-l', 'German', '-f', 'json', '-o', out]);
  assert.equal(code, 0);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as { pages: { blocks: unknown[] }[]; languages: string[] };
  assert.deepEqual(doc.languages, ['German']);
  assert.ok(doc.pages[0].blocks.length > 0);
}));

test('usage and input errors give their exit codes', withTempDir(async (dir) => {
  assert.equal(await runOcrCommand([corpusPath('images-en/tessjs_testocr.png'), '-l', 'english', '-o', dir]), 2);
  assert.equal(await runOcrCommand(['-o', dir]), 2);
  assert.equal(await runOcrCommand([corpusPath('images-en/tessjs_testocr.png'), '-f', 'doc', '-o', dir]), 2);
  assert.equal(await runOcrCommand([corpusPath('images-en/tessjs_testocr.png'), '--pages', '3-1', '-o', dir]), 2);
  assert.equal(await runOcrCommand([corpusPath('hostile/ocrmypdf_invalid.pdf'), '-o', dir]), 3);
  assert.equal(await runOcrCommand([corpusPath('pdf/pypdf_r2-user-password.pdf'), '-o', dir]), 3);
}));

test('documents in, every format out: a protected PDF with -p, Word to a searchable PDF', withTempDir(async (dir) => {
  const txt = path.join(dir, 'protected.txt');
  assert.equal(await runOcrCommand([corpusPath('pdf/pypdf_r2-user-password.pdf'), '-p', 'asdfzxcv', '-o', txt]), 0);
  assert.match(readFileSync(txt, 'utf8'), /password/);
  const pdf = path.join(dir, 'word.pdf');
  assert.equal(await runOcrCommand([corpusPath('office/tika_testWORD_docx.docx'), '-l', 'English', '-f', 'pdf', '--pages', '2', '-o', pdf]), 0);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }), /^Pages:\s+1$/m, 'only page 2');
}));

test('a multi-page file shows its progress on stderr, a line per page when not on a terminal, then its timing', withTempDir(async (dir) => {
  const { spawnSync } = await import('node:child_process');
  const bin = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../bin/docr');
  const r = spawnSync(process.execPath, [bin, 'ocr', corpusPath('pdf/samplefiles_pdflatex-4-pages.pdf'), '-o', path.join(dir, 'out.txt')], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  for (let page = 1; page <= 4; page++) assert.match(r.stderr, new RegExp(`samplefiles_pdflatex-4-pages\\.pdf: page ${page}/4 · [\\d.]+ pages/min · ETA`));
  assert.match(r.stderr, /samplefiles_pdflatex-4-pages\.pdf: 4 pages in [\d.]+ s \([\d.]+ pages\/min\)/);
  const quiet = spawnSync(process.execPath, [bin, 'ocr', '-q', corpusPath('pdf/samplefiles_pdflatex-4-pages.pdf'), '-o', path.join(dir, 'q.txt')], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(quiet.stderr.includes('pages/min'), false, '-q shows no progress');
}));
