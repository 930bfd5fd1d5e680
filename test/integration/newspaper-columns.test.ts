/**
 * Newspaper pages (made here, not in the corpus): justified columns of unequal widths with
 * gutters narrower than their word gaps and faint rules between them. Each column is read
 * whole, top to bottom, before the next; a headline across them comes first.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cer } from '../../bench/lib/cer.js';
import type { OcrEngine } from '../../src/ports/ocr-engine.js';
import { createPpocrEngine } from '../../src/engines/ppocr/index.js';
import { analyseLayout } from '../../src/layout/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { pageImage, renderPage, type TextRun } from '../fixtures/rendered-text.js';

const WORDS = ('the council met on tuesday evening to discuss the new bridge over the river which has been delayed for two years by a '
  + 'shortage of steel and the mayor said that work would begin again in the spring when the weather allows the engineers to return '
  + 'to the site while residents of the eastern district complained that the ferry service was too slow and too expensive for workers '
  + 'who cross twice a day and the harbour master warned that ice could close the channel in january as it did last winter').split(' ');

/** A page of justified monospaced columns (so that justification is exact); its text column by column. */
async function newspaper(widths: number[], gutter: number, rows: number, rule: string) {
  const size = 20, adv = 0.6 * size, pitch = size * 1.2, top = 120;
  // Words drawn from the list by a fixed pseudo-random walk: no two lines alike, the same page every run.
  let seed = 7, x = 30;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return WORDS[seed % WORDS.length]; };
  let pending = next();
  const runs: TextRun[] = [{ text: 'COUNCIL DEBATES THE BRIDGE', x: 30, y: 30, size: 54, font: 'Liberation Serif', weight: 'bold' }];
  const columns: string[][] = [];
  let rules = '';
  widths.forEach((w, c) => {
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      const line: string[] = [];
      while ((line.join(' ').length + 1 + pending.length) * adv <= w) { line.push(pending); pending = next(); }
      lines.push(line.join(' '));
      runs.push({ text: line.join(' '), x, y: top + i * pitch, size, font: 'Liberation Mono', justify: i === rows - 1 ? undefined : w });
    }
    columns.push(lines);
    x += w + gutter;
    if (c < widths.length - 1) rules += `<line x1="${x - gutter / 2}" y1="${top}" x2="${x - gutter / 2}" y2="${top + rows * pitch}" stroke="${rule}" stroke-width="1"/>`;
  });
  const png = await renderPage(x + 30, top + rows * pitch + 60, runs, rules);
  return { image: await pageImage(png), headline: runs[0].text, columns };
}

let engine: OcrEngine;
before(async () => { engine = await createPpocrEngine({ threads: 1 }); });
after(async () => { await engine?.close(); });

for (const [name, widths, gutter, rule] of [
  ['four unequal columns, faint rules, 16 px gutters', [300, 420, 260, 340], 16, '#d8d8d8'],
  ['three columns, no rules, 14 px gutters', [380, 300, 440], 14, '#ffffff'],
] as const) {
  test(`newspaper: ${name}: columns read whole, in order`, async () => {
    const { image, headline, columns } = await newspaper([...widths], gutter, 28, rule);
    const page = await analyseLayout(await engine.recognize(image, { languages: ['English'] }), image);
    const text = renderTxt({ pages: [page], languages: ['English'] });
    const truth = [headline, ...columns.flat()].join('\n');
    assert.ok(cer(text, truth) < 0.03, `CER ${cer(text, truth)}:\n${text}`);
    // Every line of every column is found after the one before it (the wording repeats, so each is looked for from there on).
    const flat = text.replace(/\s+/g, ' ');
    let at = 0;
    const missing = columns.flat().filter((line) => { const p = flat.indexOf(line, at); if (p < 0) return true; at = p + line.length; return false; });
    // A few lines misread by a character or two are not found verbatim; out of order, most would not be.
    assert.ok(missing.length <= columns.flat().length / 15, `${missing.length} lines not in order: ${missing.join(' | ')}\n${text}`);
  });
}
