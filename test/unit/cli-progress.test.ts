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

test('per file (remote mode): a bar for each file with its state, redrawn as a block; plain lines elsewhere', () => {
  const tty = stream(true);
  const p = new OcrProgress(tty.out, () => 0, { perFile: true });
  p.update('a.png', 0, 0, 'queued');
  p.update('b.pdf', 1, 4, 'reading page 2 of 4');
  const block = tty.chunks.at(-1)!;
  assert.deepEqual(block.split('\n'), [`[${'-'.repeat(24)}] a.png: queued`, `[######${'-'.repeat(18)}] b.pdf: reading page 2 of 4`]);
  assert.equal(tty.chunks.at(-2), '\r\x1b[2K', 'the one-line block before it was erased');
  p.clear();
  assert.equal(tty.chunks.at(-1), '\r\x1b[2K\x1b[1A\x1b[2K', 'both lines erased');
  const log = stream(false);
  const q = new OcrProgress(log.out, () => 0, { perFile: true });
  q.update('a.png', 0, 0, 'queued');
  q.update('a.png', 0, 0, 'queued');
  q.update('a.png', 1, 1, 'done');
  assert.deepEqual(log.chunks, ['a.png: queued\n', 'a.png: done\n']);
});
