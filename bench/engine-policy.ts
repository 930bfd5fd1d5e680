/**
 * Sets the engine policy's thresholds (src/engines/ppocr/engine-policy.ts) from measurement:
 * every English corpus image, the linn scan and the dense pdflatex pages are read by PP-OCR
 * (policy off) and by the Tesseract route (policy always), both through layout analysis and
 * txt as the API returns them; beside each, the page features the rule looks at and whether
 * the rule (policy on) admits the page. A sound rule admits only pages where Tesseract's CER
 * is no worse than PP-OCR's. Usage: node --import tsx bench/engine-policy.ts [--region] [--features]
 * (--features: the features and the rule's verdict only, without reading the pages).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createPpocrEngine } from '../src/engines/ppocr/index.js';
import { loadModels, releaseModels } from '../src/engines/ppocr/models.js';
import { decodeRaster } from '../src/engines/ppocr/raster.js';
import { detectText } from '../src/engines/ppocr/detect.js';
import { orientPage } from '../src/engines/ppocr/orientation.js';
import { pageFeatures } from '../src/engines/ppocr/page-features.js';
import { decideEngine } from '../src/engines/ppocr/engine-policy.js';
import { analyseLayout } from '../src/layout/index.js';
import { renderTxt } from '../src/renderers/txt/index.js';
import { createNormaliser } from '../src/normalisers/index.js';
import type { PageImage } from '../src/ports/ocr-engine.js';
import { accuracyEntries, cerOf, corpusFile, groupOf } from './lib/corpus.js';
import { cer } from './lib/cer.js';
import { readImageFile } from './lib/image-input.js';

const region = process.argv.includes('--region');
const languages = ['English'];
interface Item { id: string; images: PageImage[]; score(text: string): number; tags: string }

async function pdfPages(rel: string): Promise<PageImage[]> {
  const work = mkdtempSync(path.join(tmpdir(), 'docr-policy-'));
  const normaliser = createNormaliser({ officeWarm: false });
  const out: PageImage[] = [];
  try {
    const doc = await normaliser.open({ path: corpusFile(rel), workDir: work });
    for await (const p of doc.pages()) out.push(p.image ?? await p.renderImage());
    await doc.close();
  } finally {
    await normaliser.close();
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

const items: Item[] = [];
for (const e of accuracyEntries().filter((x) => groupOf(x) === 'en')) {
  items.push({ id: e.id, images: [await readImageFile(corpusFile(e.path))], score: (t) => cerOf(e, t), tags: e.tags.join(',') });
}
const latexGt = readFileSync(corpusFile('pdf/samplefiles_pdflatex-4-pages.gt.txt'), 'utf8');
items.push({ id: 'pdflatex-4-pages (300 dpi)', images: await pdfPages('pdf/samplefiles_pdflatex-4-pages.pdf'), score: (t) => cer(t, latexGt), tags: 'dense' });
const linnGt = readFileSync(corpusFile('pdf/ocrmypdf_ccitt.gt.txt'), 'utf8');
items.push({ id: 'ocrmypdf_ccitt.pdf', images: await pdfPages('pdf/ocrmypdf_ccitt.pdf'), score: (t) => cer(t, linnGt), tags: 'scan' });

const models = await loadModels({ threads: 1 });
const off = await createPpocrEngine({ threads: 1, policy: 'off' });
const always = await createPpocrEngine({ threads: 1, policy: 'always', tesseractRegion: region });
const read = async (engine: typeof off, images: PageImage[]) => {
  const texts: string[] = [];
  for (const img of images) texts.push(renderTxt({ pages: [await analyseLayout(await engine.recognize(img, { languages }), img)], languages }));
  return texts.join('\n');
};
console.log(`| page | tags | lines | tilt° | line h | regular | span | contrast | paper | paper spread | colour | rule says | PP-OCR CER | Tesseract CER${region ? ' (region)' : ''} | Δ |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const item of items) {
  const img = item.images[0];
  const raster = await decodeRaster(img.data);
  const oriented = await orientPage(models, raster, await detectText(models.det, raster), () => {});
  const f = pageFeatures(oriented.raster, oriented.boxes);
  const rule = decideEngine({ mode: 'on', int8Vnni: models.int8Vnni, languages, rotation: oriented.rotation, features: f });
  const featuresOnly = process.argv.includes('--features');
  const p = featuresOnly ? NaN : item.score(await read(off, item.images)), t = featuresOnly ? NaN : item.score(await read(always, item.images));
  console.log(`| ${item.id} | ${item.tags} | ${f.lines} | ${f.tiltDeg.toFixed(1)} | ${f.medianLineHeight.toFixed(0)} | ${(f.regularHeights * 100).toFixed(0)} % | ${(f.lineSpan * 100).toFixed(0)} % | ${f.contrast} | ${f.paper} | ${f.paperSpread} | ${f.colour.toFixed(0)} | ${rule.engine === 'tesseract' ? '**Tesseract**' : rule.reason} | ${(p * 100).toFixed(1)} % | ${(t * 100).toFixed(1)} % | ${((t - p) * 100).toFixed(1)} |`);
}
await Promise.all([off.close(), always.close(), releaseModels(models)]);
