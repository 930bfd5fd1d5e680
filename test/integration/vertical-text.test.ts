/**
 * Vertical Chinese and Japanese: columns read top to bottom, right to left, on pages made
 * here with Noto CJK (a sign, a page with a horizontal title and footer around vertical
 * columns, a Japanese page) and on the corpus's gate sign, in txt and in the PDF text layer,
 * docx and pptx (vertical where the format has it).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cer } from '../../bench/lib/cer.js';
import type { OcrEngine, PageImage } from '../../src/ports/ocr-engine.js';
import type { Page } from '../../src/domain/ocr-tree.js';
import { pageLines } from '../../src/domain/ocr-tree.js';
import { createPpocrEngine } from '../../src/engines/ppocr/index.js';
import { createTesseractEngine } from '../../src/engines/tesseract/index.js';
import { analyseLayout } from '../../src/layout/index.js';
import { createRenderers } from '../../src/renderers/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { corpusImage } from '../fixtures/corpus.js';
import { pageImage, renderPage } from '../fixtures/rendered-text.js';
import { pdfText, zipText } from './render-read-back.js';

const ZH = ['ChinesePRC', 'English', 'Digits'];
let ppocr: OcrEngine;
before(async () => { ppocr = await createPpocrEngine({ threads: 1 }); });
after(async () => { await ppocr?.close(); });

async function read(engine: OcrEngine, image: PageImage, languages: string[]): Promise<{ page: Page; text: string }> {
  const page = await analyseLayout(await engine.recognize(image, { languages }), image);
  return { page, text: renderTxt({ pages: [page], languages }) };
}

/** Positions of the parts in the text (spaces ignored), -1 for a part not found. */
const positions = (text: string, parts: readonly string[]) => parts.map((p) => text.replace(/\s+/g, '').indexOf(p));
const inOrder = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]));

const POEM = ['春眠不觉晓处处闻啼鸟', '夜来风雨声花落知多少', '床前明月光疑是地上霜', '举头望明月低头思故乡'];
const mixedPage = () => renderPage(1000, 800, [
  { text: '唐诗选读第一课', x: 60, y: 40, size: 44, font: 'Noto Sans CJK SC' },
  ...POEM.map((t, i) => ({ text: t, x: 860 - i * 90, y: 140, size: 44, vertical: true, font: 'Noto Serif CJK SC' })),
  { text: '人民教育出版社', x: 60, y: 700, size: 32, font: 'Noto Sans CJK SC' },
]);
const MIXED_ORDER = ['唐诗选读第一课', ...POEM, '人民教育出版社'];

test('a vertical Chinese sign: both columns, right one first', async () => {
  const cols = ['华南理工大学', '材料科学研究中心'];
  const image = await pageImage(await renderPage(360, 900, cols.map((t, i) => ({ text: t, x: 240 - i * 120, y: 60, size: 64, vertical: true, font: 'Noto Serif CJK SC', weight: 'bold' as const }))));
  const { page, text } = await read(ppocr, image, ZH);
  assert.ok(cer(text, cols.join('\n')) < 0.05, text);
  assert.ok(inOrder(positions(text, cols)), text);
  assert.equal(page.rotation, 0);
  assert.ok(pageLines(page).every((l) => l.vertical), JSON.stringify(pageLines(page).map((l) => l.box)));
});

test("the corpus's vertical gate sign reads right column first", async () => {
  const { text } = await read(ppocr, await corpusImage('images-zh/paddle_1.jpg'), ZH);
  assert.ok(inOrder(positions(text, ['华南农业大学', '土地整治与土壤修复研究中心'])), text);
});

test('vertical columns among horizontal lines: title, columns right to left, footer', async () => {
  const image = await pageImage(await mixedPage());
  const { page, text } = await read(ppocr, image, ZH);
  assert.ok(cer(text, MIXED_ORDER.join('\n')) < 0.05, text);
  assert.ok(inOrder(positions(text, MIXED_ORDER)), text);
  const lines = pageLines(page);
  assert.equal(lines.filter((l) => l.vertical).length, POEM.length);
  assert.ok(lines.filter((l) => !l.vertical).every((l) => l.box.w > l.box.h));

  // Every format keeps the order; docx and pptx write the columns as vertical text.
  const render = createRenderers();
  const input = { doc: { pages: [page], languages: ZH }, pageImage: async () => image };
  const pdf = await render('pdf').render(input);
  const extracted = await pdfText(pdf, true);
  assert.ok(inOrder(positions(extracted, MIXED_ORDER)), extracted);
  assert.match(await zipText(await render('docx').render(input), 'word/document.xml'), /w:textDirection w:val="tbRl"/);
  assert.match(await zipText(await render('pptx').render(input), 'ppt/slides/slide1.xml'), /vert="eaVert"/);
});

test('a Japanese page with vertical columns (Tesseract with its vertical model)', async () => {
  const cols = ['吾輩は猫である名前はまだ無い', 'どこで生れたかとんと見当がつかぬ', '何でも薄暗いじめじめした所で'];
  const image = await pageImage(await renderPage(800, 900, [
    { text: '小説の冒頭', x: 60, y: 40, size: 44, font: 'Noto Sans CJK JP' },
    ...cols.map((t, i) => ({ text: t, x: 680 - i * 90, y: 140, size: 40, vertical: true, font: 'Noto Serif CJK JP' })),
  ]));
  const { page, text } = await read(await createTesseractEngine(), image, ['Japanese']);
  assert.ok(cer(text, ['小説の冒頭', ...cols].join('\n')) < 0.1, text);
  assert.ok(inOrder(positions(text, cols.map((c) => c.slice(0, 5)))), text);
  assert.equal(page.rotation, 0);
  assert.ok(pageLines(page).filter((l) => l.vertical).length >= cols.length, text);
});
