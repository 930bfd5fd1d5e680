/**
 * The scanned PDFs of the searchable-PDF benchmark, built from the corpus in the bench's work
 * dir: born-digital pages rendered at 300 dpi by docr's normaliser (MuPDF) and wrapped as
 * image-only PDFs (8-bit grey, lossless), the corpus's own CCITT and JBIG2 scans as they are,
 * and a mixed file of photos and text pages (JPEG photos pass through untouched). Each document
 * keeps its ground truth per part (a run of pages) so pdftotext's pages can be scored.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { createNormaliser } from '../../src/normalisers/index.js';
import { plausibleDpi } from '../../src/normalisers/image/header.js';
import { corpusFile } from './corpus.js';

export interface ScanPart {
  /** Pages of the document this ground truth covers, in order. */
  pages: number;
  gt: string;
  /** MEASURING.md's gt_case: the SROIE receipts' truths are upper-cased. */
  upper?: boolean;
  /** What the part is, for the report. */
  label: string;
}

export interface ScannedPdf {
  id: string;
  title: string;
  file: string;
  pages: number;
  /** API names for docr, Tesseract codes for OCRmyPDF. */
  languages: string[];
  tesseract: string;
  parts: ScanPart[];
}

const gtOf = (rel: string) => readFileSync(corpusFile(rel), 'utf8');

/** 300-dpi grey PNGs of every page of a born-digital corpus PDF, rendered by docr's normaliser. */
async function renderPages(rel: string, workDir: string): Promise<Buffer[]> {
  const normaliser = createNormaliser({ officeWarm: false });
  const out: Buffer[] = [];
  try {
    const doc = await normaliser.open({ path: corpusFile(rel), workDir });
    try {
      for await (const page of doc.pages()) {
        const img = page.image ?? await page.renderImage();
        out.push(await sharp(img.data).grayscale().png().toBuffer());
      }
    } finally {
      await doc.close();
    }
  } finally {
    await normaliser.close();
  }
  return out;
}

/** An image-only PDF, one image per page, each page sized from the image's resolution. */
async function imagePdf(file: string, images: readonly { data: Buffer; dpi?: number }[]): Promise<void> {
  const pdf = await PDFDocument.create();
  for (const img of images) {
    const meta = await sharp(img.data).metadata();
    const dpi = img.dpi ?? plausibleDpi(meta.density) ?? 300;
    const jpeg = meta.format === 'jpeg';
    const embedded = jpeg ? await pdf.embedJpg(img.data) : await pdf.embedPng(meta.format === 'png' ? img.data : await sharp(img.data).png().toBuffer());
    const w = (meta.width! * 72) / dpi, h = (meta.height! * 72) / dpi;
    pdf.addPage([w, h]).drawImage(embedded, { x: 0, y: 0, width: w, height: h });
  }
  writeFileSync(file, await pdf.save());
}

/** English photos and text pages of the corpus for the mixed file, with their ground truths. */
const MIXED: readonly { path: string; label: string; upper?: boolean }[] = [
  { path: 'images-en/tessjs_testocr.png', label: 'photo (phototest)' },
  { path: 'images-en/sroie_000.jpg', label: 'receipt photo (SROIE 000)', upper: true },
  { path: 'images-en/ocrmypdf_linn.png', label: 'text page (linn)' },
  { path: 'images-en/pytesseract_test.jpg', label: 'photo (pytesseract)' },
  { path: 'images-en/unlv_8087_054.3B.png', label: 'magazine page (UNLV)' },
  { path: 'images-en/sroie_003.jpg', label: 'receipt photo (SROIE 003)', upper: true },
];

export async function buildScannedPdfs(workDir: string): Promise<ScannedPdf[]> {
  const at = (name: string) => path.join(workDir, name);
  // Dense English: the 4-page pdflatex sample twice (8 pages, as in issue 11's report).
  const latex = await renderPages('pdf/samplefiles_pdflatex-4-pages.pdf', workDir);
  await imagePdf(at('dense-en.pdf'), [...latex, ...latex].map((data) => ({ data, dpi: 300 })));
  const latexGt = gtOf('pdf/samplefiles_pdflatex-4-pages.gt.txt');
  const table = await renderPages('pdf/pdfplumber_issue-336-example.pdf', workDir);
  await imagePdf(at('zh-table.pdf'), table.map((data) => ({ data, dpi: 300 })));
  await imagePdf(at('mixed-en.pdf'), MIXED.map((m) => ({ data: readFileSync(corpusFile(m.path)) })));
  const english = { languages: ['English'], tesseract: 'eng' };
  return [
    { id: 'dense-en', title: 'Dense English (pdflatex sample, 4 pages × 2)', file: at('dense-en.pdf'), pages: 8, ...english,
      parts: [{ pages: 4, gt: latexGt, label: 'pages 1-4' }, { pages: 4, gt: latexGt, label: 'pages 5-8' }] },
    { id: 'zh-table', title: 'Chinese table page (pdfplumber issue 336)', file: at('zh-table.pdf'), pages: table.length, languages: ['ChinesePRC', 'English'], tesseract: 'chi_sim+eng',
      parts: [{ pages: table.length, gt: gtOf('pdf/pdfplumber_issue-336-example.gt.txt'), label: 'table page' }] },
    { id: 'ccitt', title: 'CCITT G4 scan (ocrmypdf_ccitt.pdf)', file: corpusFile('pdf/ocrmypdf_ccitt.pdf'), pages: 1, ...english,
      parts: [{ pages: 1, gt: gtOf('pdf/ocrmypdf_ccitt.gt.txt'), label: 'scan' }] },
    { id: 'jbig2', title: 'JBIG2 scan (ocrmypdf_jbig2.pdf)', file: corpusFile('pdf/ocrmypdf_jbig2.pdf'), pages: 1, ...english,
      parts: [{ pages: 1, gt: gtOf('pdf/ocrmypdf_jbig2.gt.txt'), label: 'scan' }] },
    { id: 'mixed-en', title: 'Mixed: photos, receipts and text pages (6 pages)', file: at('mixed-en.pdf'), pages: MIXED.length, ...english,
      parts: MIXED.map((m) => ({ pages: 1, gt: gtOf(m.path.replace(/\.[a-z]+$/, '.gt.txt')), upper: m.upper, label: m.label })) },
  ];
}
