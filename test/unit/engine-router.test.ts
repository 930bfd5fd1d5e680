import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocrError } from '../../src/domain/errors.js';
import { ENGINE_DESCRIPTORS, engineDescriptor, installedLanguageNames, routeLanguages, validateLanguages } from '../../src/engines/index.js';

function rejectsNaming(fn: () => unknown, name: string): void {
  assert.throws(fn, (e: unknown) => e instanceof DocrError && e.code === 'BAD_PARAMETER' && e.message.includes(name));
}

test('validateLanguages: default, list, duplicates', () => {
  assert.deepEqual(validateLanguages(undefined), ['ChinesePRC', 'English', 'Digits']);
  assert.deepEqual(validateLanguages(''), ['ChinesePRC', 'English', 'Digits']);
  assert.deepEqual(validateLanguages('German,English,German'), ['German', 'English']);
});

test('validateLanguages: unknown and wrong-case names are 400s naming them', () => {
  rejectsNaming(() => validateLanguages('English,Klingon'), 'Klingon');
  rejectsNaming(() => validateLanguages('english'), 'english');
  rejectsNaming(() => validateLanguages('chinesePRC'), 'ChinesePRC');
  rejectsNaming(() => validateLanguages('English,,German'), 'English,,German');
  rejectsNaming(() => validateLanguages('Abkhaz'), 'Abkhaz');
  assert.throws(() => validateLanguages('English,German,French,Spanish,Italian,Dutch,Polish,Czech,Danish,Finnish,Swedish'), DocrError);
});

test('validateLanguages with the installed list: a known name without a model is a 400 naming it', async () => {
  const installed = await installedLanguageNames();
  for (const name of ['ChinesePRC', 'English', 'Digits', 'German', 'Turkish', 'Japanese']) assert.ok(installed.includes(name), name);
  rejectsNaming(() => validateLanguages('English,Yiddish', installed.filter((n) => n !== 'Yiddish')), 'Yiddish');
});

test('routing: Chinese/English/Digits → ppocr, everything else → tesseract', async () => {
  await installedLanguageNames(); // the router answers from the installed list
  const id = (langs: string[]) => routeLanguages(langs, ENGINE_DESCRIPTORS).id;
  assert.equal(id(['English']), 'ppocr');
  assert.equal(id(['ChinesePRC', 'English', 'Digits']), 'ppocr');
  assert.equal(id(['Digits']), 'ppocr');
  assert.equal(id(['German']), 'tesseract');
  assert.equal(id(['English', 'German']), 'tesseract');
  assert.equal(id(['ChineseTaiwan']), 'tesseract');
  rejectsNaming(() => routeLanguages(['Klingon'], ENGINE_DESCRIPTORS), 'Klingon');
});

test('registry: ppocr first, tesseract second; an unknown id lists the known ones', () => {
  assert.deepEqual(ENGINE_DESCRIPTORS.map((d) => d.id).slice(0, 2), ['ppocr', 'tesseract']);
  assert.throws(() => engineDescriptor('abbyy'), (e: unknown) => e instanceof DocrError && /ppocr, tesseract/.test(e.message));
});
