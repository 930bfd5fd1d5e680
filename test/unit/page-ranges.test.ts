/** The `pages` field (beyond the reference): parsing and selection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSelected, parsePageRanges, selectedCount } from '../../src/contract/page-ranges.js';

test('page numbers and ranges parse; anything else does not', () => {
  assert.deepEqual(parsePageRanges('1-3,5'), [[1, 3], [5, 5]]);
  assert.deepEqual(parsePageRanges(' 2 - 4 , 7 '), [[2, 4], [7, 7]]);
  for (const bad of ['', '0', '3-1', '1,,2', 'a', '1-', '-2', '1.5', '1;2', '1-100001']) assert.equal(parsePageRanges(bad), undefined, bad);
});

test('selection and counts stay inside the document', () => {
  const ranges = parsePageRanges('2-3,9');
  assert.deepEqual([1, 2, 3, 4, 9].map((i) => isSelected(ranges, i)), [false, true, true, false, true]);
  assert.equal(selectedCount(ranges, 4), 2);
  assert.equal(selectedCount(undefined, 4), 4);
  assert.equal(selectedCount(parsePageRanges('5-6'), 4), 0);
});
