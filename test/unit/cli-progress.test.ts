/** `docr ocr`'s progress: a bar redrawn in place on a terminal, plain lines elsewhere, quiet for one page. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, OcrProgress } from '../../src/cli/ocr/progress.js';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, columns: 100, write: (c: string) => chunks.push(c) } };
}

test('plain lines per page with pages/min and ETA when stderr is not a terminal, then the timing', () => {
  let now = 0;
  const { chunks, out } = stream(false);
  const p = new OcrProgress(out, () => now);
  p.update('scan.pdf', 0, 4);
  now = 30_000; p.update('scan.pdf', 1, 4);
  now = 60_000; p.update('scan.pdf', 2, 4);
  now = 120_000; p.update('scan.pdf', 4, 4);
  p.finish('scan.pdf');
  assert.deepEqual(chunks, [
    'scan.pdf: page 1/4 · 2.0 pages/min · ETA 1:30\n',
    'scan.pdf: page 2/4 · 2.0 pages/min · ETA 1:00\n',
    'scan.pdf: page 4/4 · 2.0 pages/min · ETA 0:00\n',
    'scan.pdf: 4 pages in 120.0 s (2.0 pages/min)\n',
  ]);
  assert.ok(chunks.every((c) => !c.includes('\r') && !c.includes('\x1b')), 'no control characters in a log');
});

test('on a terminal one bar over every file, redrawn in place and cleared at the end', () => {
  let now = 0;
  const { chunks, out } = stream(true);
  const p = new OcrProgress(out, () => now);
  p.update('a.pdf', 0, 3);
  p.update('b.pdf', 0, 1);
  now = 60_000; p.update('a.pdf', 2, 3);
  const last = chunks.at(-1)!;
  assert.ok(last.startsWith('\r\x1b[2K['), 'redrawn over the previous bar');
  assert.match(last, /\[#{12}-{12}\] 2\/4 pages · 2\.0 pages\/min · ETA 1:00/);
  p.clear();
  assert.equal(chunks.at(-1), '\r\x1b[2K');
});

test('a single-page file says nothing', () => {
  const { chunks, out } = stream(false);
  const p = new OcrProgress(out);
  p.update('photo.png', 0, 1);
  p.update('photo.png', 1, 1);
  p.finish('photo.png');
  assert.deepEqual(chunks, []);
});

test('durations read as m:ss or h:mm:ss', () => {
  assert.equal(formatDuration(5), '0:05');
  assert.equal(formatDuration(754), '12:34');
  assert.equal(formatDuration(3725), '1:02:05');
  assert.equal(formatDuration(Infinity), '--:--');
});
