/** The language vocabulary: every Tesseract model under a name, its package, and the 400s that say how to install it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DIGITS, FURTHER_LANGUAGES, OTHER_LANGUAGES, REQUIRED_LANGUAGES, SCRIPT_LANGUAGES, modelLanguageNames, tesseractCodeOf, tesseractPackageOf } from '../../src/contract/languages.js';
import { DocrError } from '../../src/domain/errors.js';
import { validateLanguages } from '../../src/engines/index.js';

test('tables A and B are kept; the other Tesseract models have English names (Hindi, Tamil, Fraktur, ...)', () => {
  assert.equal(tesseractCodeOf('ChinesePRC'), 'chi_sim');
  assert.equal(tesseractCodeOf('Thai'), 'tha');
  for (const [name, code] of [['Hindi', 'hin'], ['Bengali', 'ben'], ['Tamil', 'tam'], ['Telugu', 'tel'], ['Marathi', 'mar'], ['Urdu', 'urd'],
    ['Khmer', 'khm'], ['Georgian', 'kat'], ['Amharic', 'amh'], ['Fraktur', 'frk'], ['FrakturScript', 'Fraktur'], ['LatinScript', 'Latin']]) {
    assert.equal(tesseractCodeOf(name), code, name);
  }
  const names = modelLanguageNames();
  assert.equal(new Set(names).size, names.length);
  assert.equal(names.length, Object.keys({ ...REQUIRED_LANGUAGES, ...FURTHER_LANGUAGES, ...OTHER_LANGUAGES, ...SCRIPT_LANGUAGES }).length);
  // Inherited object keys are not language names.
  assert.equal(tesseractCodeOf('constructor'), undefined);
  assert.equal(tesseractCodeOf('toString'), undefined);
});

test('every model maps to its Debian package', () => {
  assert.equal(tesseractPackageOf('chi_sim'), 'tesseract-ocr-chi-sim');
  assert.equal(tesseractPackageOf('chi_sim_vert'), 'tesseract-ocr-chi-sim-vert');
  assert.equal(tesseractPackageOf('aze_cyrl'), 'tesseract-ocr-aze-cyrl');
  assert.equal(tesseractPackageOf('HanS_vert'), 'tesseract-ocr-script-hans-vert');
  assert.equal(tesseractPackageOf('Canadian_Aboriginal'), 'tesseract-ocr-script-cans');
  assert.equal(tesseractPackageOf('Fraktur'), 'tesseract-ocr-script-frak');
  for (const name of modelLanguageNames()) assert.match(tesseractPackageOf(tesseractCodeOf(name)!), /^tesseract-ocr-[a-z-]+$/, name);
});

test('docs/languages.md names every language the field takes', () => {
  const doc = readFileSync(new URL('../../docs/languages.md', import.meta.url), 'utf8');
  const missing = [...modelLanguageNames(), DIGITS].filter((n) => !new RegExp(`\\b${n}\\b`).test(doc));
  assert.deepEqual(missing, []);
});

test('a known name without its model is a 400 with the command that installs it; an unknown name a 400 naming it', () => {
  const installed = ['English', 'Digits'];
  assert.throws(() => validateLanguages('English,Hindi,Tamil', installed), (e: unknown) =>
    e instanceof DocrError && e.code === 'BAD_PARAMETER' && e.message.includes('`docr languages install Hindi Tamil`'));
  assert.throws(() => validateLanguages('Hindi', () => installed), (e: unknown) => e instanceof DocrError && e.message.includes('docr languages install Hindi'));
  assert.deepEqual(validateLanguages('Hindi', () => [...installed, 'Hindi']), ['Hindi']);
  assert.throws(() => validateLanguages('Hindu'), (e: unknown) => e instanceof DocrError && e.code === 'BAD_PARAMETER' && e.message.includes('"Hindu"'));
  assert.throws(() => validateLanguages('hindi'), (e: unknown) => e instanceof DocrError && e.message.includes('"Hindi"'));
});

test('language=auto: accepted alone by the request rules and the router, reported as languages_detected', async () => {
  const { parseCreateRequest } = await import('../../src/contract/create-request.js');
  const { toQueryData } = await import('../../src/contract/query-body.js');
  assert.deepEqual(parseCreateRequest({ language: 'auto' }, true).languages, ['auto']);
  assert.throws(() => parseCreateRequest({ language: 'auto,English' }, true), /alone/);
  assert.deepEqual(validateLanguages('auto', ['English']), ['auto']);
  const data = toQueryData({ id: 't', state: 1, progress: 100, createdAt: 0, languagesDetected: ['Russian'] });
  assert.deepEqual(data.languages_detected, ['Russian']);
  assert.equal('languages_detected' in toQueryData({ id: 't', state: 1, progress: 100, createdAt: 0 }), false);
});
