/**
 * The searchable PDF's text layer as standard tools read it: pdftotext keeps two columns apart
 * (column by column, as the txt result reads), and a word's selection box (pdftotext -bbox,
 * the glyph boxes viewers highlight) lies on the word's ink. Pages are rendered here, read by
 * PP-OCR (whose detection boxes are padded well beyond the ink) and laid out as the pipeline does.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { cer } from '../../bench/lib/cer.js';
import type { OcrEngine, PageImage } from '../../src/ports/ocr-engine.js';
import { createPpocrEngine } from '../../src/engines/ppocr/index.js';
import { analyseLayout } from '../../src/layout/index.js';
import { createRenderers } from '../../src/renderers/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { pageImage, renderPage, type TextRun } from '../fixtures/rendered-text.js';
import { pdfText } from './render-read-back.js';
import { runProcess } from '../../src/platform/run-process.js';
import { corpusImage, groundTruth } from '../fixtures/corpus.js';

const render = createRenderers()('pdf');
let ppocr: OcrEngine;
before(async () => { ppocr = await createPpocrEngine({ threads: 1 }); });
after(async () => { await ppocr?.close(); });

async function searchablePdf(image: PageImage, languages = ['English']) {
  const page = await analyseLayout(await ppocr.recognize(image, { languages }), image);
  const doc = { pages: [page], languages };
  return { pdf: await render.render({ doc, pageImage: async () => image }), txt: renderTxt(doc) };
}

const FONT = 'Liberation Serif', SIZE = 40, PITCH = 52;
const TOP = ['Harbour reports from the northern coast arrive each morning by', 'telegraph and are printed here before the market opens at nine.'];
const LEFT = ['Grain prices rose again', 'as the barges waited', 'for the river to clear', 'of ice near the locks,', 'and merchants bought', 'whatever wheat they', 'could find in the town.'];
const RIGHT = ['Fishing fleets stayed', 'in port for a third day', 'while storms crossed', 'the bay and the pilots', 'refused to take ships', 'past the outer reef', 'until the wind fell.'];

test('pdftotext reads two columns under a full-width paragraph column by column', async () => {
  // The gutter is one em: narrower than the padded detection boxes are tall.
  const runs: TextRun[] = [
    ...TOP.map((text, i) => ({ text, x: 80, y: 60 + i * PITCH, size: SIZE, font: FONT })),
    ...LEFT.map((text, i) => ({ text, x: 80, y: 220 + i * PITCH, size: SIZE, font: FONT })),
    ...RIGHT.map((text, i) => ({ text, x: 80 + 420 + SIZE, y: 220 + i * PITCH, size: SIZE, font: FONT })),
  ];
  const { pdf, txt } = await searchablePdf(await pageImage(await renderPage(1100, 640, runs)));
  const text = await pdfText(pdf);
  const at = (line: string) => text.replace(/\s+/g, '').indexOf(line.replace(/\s+/g, ''));
  const lastLeft = Math.max(...LEFT.map(at)), firstRight = Math.min(...RIGHT.map(at));
  assert.ok(LEFT.every((l) => at(l) >= 0) && lastLeft < firstRight, `columns interleaved:\n${text}`);
  assert.ok(at(TOP[1]) >= 0 && at(TOP[1]) < at(LEFT[0]), `the paragraph above the columns comes first:\n${text}`);
  const e = cer(text, txt);
  assert.ok(e <= 0.02, `CER ${e.toFixed(3)} of pdftotext against the txt result:\n${text}`);
});

/** Each word pdftotext finds, with its box in page pixels (300 dpi). */
async function wordBoxes(pdf: Buffer): Promise<Array<{ text: string; x0: number; y0: number; x1: number; y1: number }>> {
  const r = await runProcess('pdftotext', ['-bbox', '-enc', 'UTF-8', '-', '-'], { timeoutMs: 60_000, input: pdf });
  const px = (v: string) => (Number(v) * 300) / 72;
  return [...r.stdout.toString('utf8').matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ text: m[5], x0: px(m[1]), y0: px(m[2]), x1: px(m[3]), y1: px(m[4]) }));
}

test("a word's selection box lies on its ink: from its left to its right edge, baseline and cap height inside; before a wide gap in its row it reaches over the gap", async () => {
  const words = [{ text: 'Harbour', x: 90, y: 60 }, { text: 'telegraph', x: 520, y: 60 }, { text: 'merchants', x: 90, y: 190 }, { text: 'Fishing', x: 560, y: 190 }];
  const png = await renderPage(1000, 320, words.map((w) => ({ ...w, size: SIZE, font: FONT })));
  const { pdf } = await searchablePdf(await pageImage(png));
  const boxes = await wordBoxes(pdf);
  for (const w of words) {
    // The word's ink, measured on the image: the dark columns of its strip.
    const left = w.x - 30, strip = await sharp(png).extract({ left, top: w.y, width: 400, height: Math.round(SIZE * 1.4) }).greyscale().raw().toBuffer();
    const dark = [...Array(400).keys()].filter((c) => [...Array(Math.round(SIZE * 1.4)).keys()].some((r) => strip[r * 400 + c] < 128));
    const inkX0 = left + dark[0], inkX1 = left + dark.at(-1)! + 1;
    const baseline = w.y + SIZE, capTop = baseline - 0.65 * SIZE;
    const box = boxes.find((b) => b.text === w.text);
    assert.ok(box, `${w.text} not found in ${JSON.stringify(boxes)}`);
    const tol = 0.15 * SIZE;
    // A word with another one far right of it on its row (`Harbour … telegraph`) reaches over
    // the gap to a word space before it (pdf/text-layer.ts: extractors keep the row together).
    const next = words.find((o) => o.y === w.y && o.x > w.x);
    const end = next ? boxes.find((b) => b.text === next.text)!.x0 - 0.3 * SIZE : inkX1;
    assert.ok(Math.abs(box.x0 - inkX0) <= tol && Math.abs(box.x1 - end) <= tol, `${w.text}: box x ${box.x0.toFixed(0)}–${box.x1.toFixed(0)}, ink ${inkX0}–${inkX1}, expected to end at ${end.toFixed(0)}`);
    // The glyph box spans the em: cap height above the baseline, descenders below, and not much more.
    assert.ok(box.y0 <= capTop && box.y0 >= baseline - 1.05 * SIZE, `${w.text}: box top ${box.y0.toFixed(0)}, cap top ${capTop}`);
    assert.ok(box.y1 >= baseline - 0.05 * SIZE && box.y1 <= baseline + 0.35 * SIZE, `${w.text}: box bottom ${box.y1.toFixed(0)}, baseline ${baseline}`);
  }
});

test('Chinese: a line extracts without spaces between its characters, its selection box on its ink', async () => {
  const line = '停车区用地指标基准值', size = 48, x = 100, y = 80;
  const png = await renderPage(800, 240, [{ text: line, x, y, size, font: 'Noto Sans CJK SC' }]);
  const { pdf } = await searchablePdf(await pageImage(png), ['ChinesePRC', 'English']);
  assert.match(await pdfText(pdf), new RegExp(line));
  const boxes = await wordBoxes(pdf);
  const box = boxes.find((b) => b.text === line);
  assert.ok(box, JSON.stringify(boxes));
  const grey = await sharp(png).greyscale().raw().toBuffer();
  const rows = [...Array(240).keys()].filter((r) => [...Array(800).keys()].some((c) => grey[r * 800 + c] < 128));
  const inkTop = rows[0], inkBottom = rows.at(-1)! + 1;
  // The em box is a little taller than the ideographs' ink, and centred on it.
  assert.ok(box.y0 <= inkTop && box.y0 >= inkTop - 0.2 * size, `box top ${box.y0.toFixed(0)}, ink top ${inkTop}`);
  assert.ok(box.y1 >= inkBottom && box.y1 <= inkBottom + 0.2 * size, `box bottom ${box.y1.toFixed(0)}, ink bottom ${inkBottom}`);
});

test('a page the engine policy hands to Tesseract (a block per paragraph) keeps its columns whole in pdftotext', async () => {
  // The corpus's Linn sequencer scan: full-width paragraphs over two columns of short ones.
  // Tesseract returns a block per paragraph; each sized apart from the one above let
  // pdftotext pair paragraphs across the columns (CER 25 % against 1-2 % for the txt).
  const routed = await createPpocrEngine({ threads: 1, policy: 'on' });
  try {
    const image = await corpusImage('images-en/ocrmypdf_linn.png');
    const read = await routed.recognize(image, { languages: ['English'] });
    assert.equal(read.engine?.id, 'tesseract', `the policy kept the page with PP-OCR: ${read.engine?.reason}`);
    const page = await analyseLayout(read, image);
    const doc = { pages: [page], languages: ['English'] };
    const text = await pdfText(await render.render({ doc, pageImage: async () => image }));
    const gt = groundTruth('images-en/ocrmypdf_linn.png');
    const e = cer(text, gt);
    assert.ok(e <= 0.05, `pdftotext CER ${(100 * e).toFixed(1)} % against the truth (txt result: ${(100 * cer(renderTxt(doc), gt)).toFixed(1)} %):\n${text}`);
  } finally {
    await routed.close();
  }
});

test('a receipt\'s labels and amounts read row by row in pdftotext, as in the txt result', async () => {
  // Labels on the left, amounts right-aligned far across the page: pdftotext took the
  // amounts for a column of their own and read them after all the labels.
  const rows = [['Sub Total :', '20.00'], ['Rounding Adjustment :', '0.00'], ['Grand Total :', '20.00'], ['Cash :', '50.00'], ['Change :', '30.00']];
  const runs: TextRun[] = [{ text: 'HARBOUR HARDWARE TRADING', x: 160, y: 40, size: 34, font: 'Liberation Sans' }];
  rows.forEach(([label, amount], i) => {
    runs.push({ text: label, x: 60, y: 120 + 48 * i, size: 34, font: 'Liberation Sans' });
    runs.push({ text: amount, x: 760 - 19 * amount.length, y: 120 + 48 * i, size: 34, font: 'Liberation Sans' });
  });
  const { pdf, txt } = await searchablePdf(await pageImage(await renderPage(820, 400, runs)));
  const text = await pdfText(pdf);
  const lines = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l !== '');
  for (const [label, amount] of rows) assert.ok(lines.includes(`${label} ${amount}`), `row "${label} ${amount}" not read as one line:\n${text}`);
  assert.ok(cer(text, txt) <= 0.02, `CER ${cer(text, txt).toFixed(3)} of pdftotext against the txt result:\n${text}\n---\n${txt}`);
});
