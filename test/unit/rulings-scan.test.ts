/** scanRuns (src/layout/rulings.ts): one pass over the rows finds the same runs as a scan along each row and down each column. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanRuns, type Segment } from '../../src/layout/rulings.js';

/** The reference: a scan along each line of the primary axis, as rulings were first found. */
function runsAlong(count: number, length: number, minLen: number, dark: (line: number, i: number) => boolean): Segment[] {
  const found: Segment[] = [];
  for (let line = 0; line < count; line++) {
    let start = -1, lastDark = -1;
    for (let i = 0; i <= length; i++) {
      const d = i < length && dark(line, i);
      if (d) {
        if (start < 0) start = i;
        lastDark = i;
      } else if (start >= 0 && i - lastDark > 3) {
        if (lastDark - start + 1 >= minLen) found.push({ at: line, a: start, b: lastDark + 1 });
        start = -1;
      }
    }
  }
  return found;
}

/** A seeded page: speckle, rules with short gaps, rules that touch the edges, a filled box. */
function page(width: number, height: number, stride: number, seed: number): Uint8Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const data = new Uint8Array(width * height * stride).fill(255);
  const ink = (x: number, y: number) => { if (x >= 0 && y >= 0 && x < width && y < height) for (let c = 0; c < stride; c++) data[(y * width + x) * stride + c] = Math.floor(rnd() * 150); };
  for (let i = 0; i < width * height * 0.05; i++) ink(Math.floor(rnd() * width), Math.floor(rnd() * height));
  for (let k = 0; k < 12; k++) {
    const y = Math.floor(rnd() * height), x0 = Math.floor(rnd() * width * 0.5), len = Math.floor(rnd() * width);
    for (let x = x0; x < x0 + len; x++) if (rnd() > 0.08) ink(x, y); // gaps of 1-2 px now and then
    const x = Math.floor(rnd() * width), y0 = Math.floor(rnd() * height * 0.5), vlen = Math.floor(rnd() * height);
    for (let yy = y0; yy < y0 + vlen; yy++) if (rnd() > 0.08) ink(x, yy);
  }
  for (let x = 0; x < width; x++) ink(x, height - 1); // a rule along the bottom edge
  for (let y = 2; y < height - 2; y++) ink(width - 2, y); // one ending 2 px before the edge
  for (let y = 10; y < 30; y++) for (let x = 10; x < 40; x++) ink(x, y);
  return data;
}

describe('scanRuns', () => {
  for (const [width, height, stride, seed] of [[97, 211, 1, 1], [320, 180, 1, 2], [250, 400, 3, 3], [400, 500, 1, 4], [64, 64, 1, 5]] as const) {
    it(`finds the runs of a scan along each row and each column (${width}x${height}, ${stride} channel${stride > 1 ? 's' : ''})`, async () => {
      const data = page(width, height, stride, seed);
      const dark = (x: number, y: number) => data[(y * width + x) * stride] < 160;
      for (const minLen of [5, 20, 60]) {
        const got = await scanRuns(data, width, height, stride, minLen);
        const horizontal = runsAlong(height, width, minLen, (y, x) => dark(x, y));
        const vertical = runsAlong(width, height, minLen, (x, y) => dark(x, y));
        if (minLen === 5) assert.ok(horizontal.length > 0 && vertical.length > 0, 'the page has runs of both kinds');
        assert.deepEqual(got.horizontal, horizontal);
        assert.deepEqual(got.vertical, vertical);
      }
    });
  }

  it('lets other work run while it scans a large page', async () => {
    const width = 2000, height = 2000;
    const data = page(width, height, 1, 9);
    let turns = 0;
    const counting = setInterval(() => { turns++; }, 0);
    await scanRuns(data, width, height, 1, 100);
    clearInterval(counting);
    assert.ok(turns >= 2, `a timer ran ${turns} times during the scan`);
  });
});
