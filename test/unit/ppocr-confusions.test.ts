/** Letter/digit look-alikes are corrected only inside tokens that say which was meant. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correctLookAlikes } from '../../src/engines/ppocr/confusions.js';

const fix = (line: string) => correctLookAlikes([...line]).join('');

test('letters inside otherwise numeric tokens become digits', () => {
  assert.equal(fix('TOTAL 475OO'), 'TOTAL 47500');
  assert.equal(fix('Total 1O.OO RM'), 'Total 10.00 RM');
  assert.equal(fix('Date 02/O1/2019 l2:47'), 'Date 02/01/2019 12:47');
});

test('a zero inside an otherwise alphabetic word becomes O', () => {
  assert.equal(fix('WHITE B0ARD'), 'WHITE BOARD');
  assert.equal(fix('r0ot beer'), 'root beer');
});

test('words, codes and mixed tokens stay as read', () => {
  for (const line of ['SH01 2PCS NO.5', 'H2O I/O lO', 'CS00004040', 'Hello World', 'O', 'OIL 10']) assert.equal(fix(line), line);
});

test('a date run into a time is split before the time, a time run into its AM/PM before the A or P', async () => {
  const { fusedDateTimeBreaks } = await import('../../src/engines/ppocr/confusions.js');
  assert.deepEqual(fusedDateTimeBreaks([...'02/01/20192:47:14']), [10]);
  assert.deepEqual(fusedDateTimeBreaks([...'Date 09/01/20198:01:11PM']), [15, 22]);
  assert.deepEqual(fusedDateTimeBreaks([...'at 8:01:11PM or 12:30am not 10PM']), [10, 21]);
  assert.deepEqual(fusedDateTimeBreaks([...'25/12/2018 8:13:39 12/2019 20192:47']), []);
});
