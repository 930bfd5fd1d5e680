/** One joining rule for every engine and renderer: scripts without word spaces join without them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUnspacedText, joinWordTexts } from '../../src/domain/line-text.js';
import { spacedLike } from '../../src/engines/tesseract/tsv.js';

test('Thai, Lao, Khmer, Myanmar and CJK words join without spaces; Latin words and numbers keep theirs', () => {
  assert.equal(joinWordTexts(['ภา', 'ษา', 'ไท', 'ย'], true), 'ภาษาไทย');
  assert.equal(joinWordTexts(['ພາ', 'ສາ', 'ລາວ'], true), 'ພາສາລາວ');
  assert.equal(joinWordTexts(['ភាសា', 'ខ្មែរ'], true), 'ភាសាខ្មែរ');
  assert.equal(joinWordTexts(['မြန်', 'မာ'], true), 'မြန်မာ');
  assert.equal(joinWordTexts(['中', '文'], true), '中文');
  assert.equal(joinWordTexts(['Bangkok', '2024'], true), 'Bangkok 2024');
  // A space the engine saw in the image travels with the word and stays.
  assert.equal(joinWordTexts(['คำ ', 'ประโยค', 'มี ', 'Bangkok ', '2024 ', 'อยู่'], true), 'คำ ประโยคมี Bangkok 2024 อยู่');
  // Lines of spaced scripts are untouched.
  assert.equal(joinWordTexts(['Hello', 'world'], false), 'Hello world');
  assert.ok(isUnspacedText('ภาษาไทย Bangkok'));
  assert.ok(!isUnspacedText('Hello world'));
});

test("Tesseract's own text line tells where its words have spaces", () => {
  assert.deepEqual(spacedLike(['ภา', 'ษา', 'คำ', 'ประ', 'โยค'], 'ภาษาคำ ประโยค'), ['ภา', 'ษา', 'คำ ', 'ประ', 'โยค']);
  assert.equal(spacedLike(['ภา', 'ษา'], 'ภาษาไทย'), undefined);
});
