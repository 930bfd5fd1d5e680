/**
 * OCR trees built with command-line tools, for renderer tests and benchmarks that must not
 * depend on docr's own engines: tesseract TSV for images, `pdftotext -bbox-layout` for
 * PDFs with a text layer, `pdftoppm` for page images. Everything runs through runProcess.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Block, Line, Page, Word } from '../../src/domain/ocr-tree.js';
import { unionBox } from '../../src/domain/ocr-tree.js';
import type { PageImage } from '../../src/ports/ocr-engine.js';
import { runProcess } from '../../src/platform/run-process.js';

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

async function run(cmd: string, args: string[], input?: Buffer): Promise<Buffer> {
  const r = await runProcess(cmd, args, { timeoutMs: 300_000, input, env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.slice(0, 400)}`);
  return r.stdout;
}

function makeLine(words: Word[]): Line {
  const cjk = words.some((w) => CJK.test(w.text));
  const conf = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 1;
  return { text: words.map((w) => w.text).join(cjk ? '' : ' '), box: unionBox(words.map((w) => w.box)), confidence: conf, words, cjk };
}

function makeBlock(lines: Line[]): Block {
  return { kind: 'text', box: unionBox(lines.map((l) => l.box)), lines };
}

/** Reads one page image with tesseract (`lang` in tesseract's names, e.g. 'eng' or 'chi_sim+eng'). */
export async function treeFromTesseract(image: PageImage, lang: string): Promise<Page> {
  const tsv = (await run('tesseract', ['stdin', 'stdout', '-l', lang, '--dpi', String(image.dpi), 'tsv'], image.data)).toString('utf8');
  const paragraphs = new Map<string, Map<string, Word[]>>();
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5' || f[11].trim() === '') continue;
    const [, , block, par, line, , left, top, width, height, conf] = f;
    const pKey = `${block}.${par}`;
    const lines = paragraphs.get(pKey) ?? new Map<string, Word[]>();
    paragraphs.set(pKey, lines);
    const words = lines.get(line) ?? [];
    lines.set(line, words);
    words.push({ text: f[11], box: { x: +left, y: +top, w: +width, h: +height }, confidence: Math.max(0, +conf) / 100 });
  }
  const blocks = [...paragraphs.values()].map((lines) => makeBlock([...lines.values()].map(makeLine)));
  return { index: image.index, width: image.width, height: image.height, dpi: image.dpi, rotation: 0, blocks, source: 'ocr', warnings: [] };
}

const attr = (tag: string, name: string): number => Number(new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1] ?? 0);
const unescape = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Trees for every page of a PDF from its text layer, in pixels at `dpi`. */
export async function treesFromPdfText(pdf: Buffer, dpi: number): Promise<Page[]> {
  const html = (await run('pdftotext', ['-bbox-layout', '-enc', 'UTF-8', '-', '-'], pdf)).toString('utf8');
  const s = dpi / 72;
  const px = (tag: string) => {
    const x = attr(tag, 'xMin') * s, y = attr(tag, 'yMin') * s;
    return { x, y, w: attr(tag, 'xMax') * s - x, h: attr(tag, 'yMax') * s - y };
  };
  const pages: Page[] = [];
  for (const pm of html.matchAll(/<page ([^>]*)>([\s\S]*?)<\/page>/g)) {
    const blocks: Block[] = [];
    for (const bm of pm[2].matchAll(/<block[^>]*>([\s\S]*?)<\/block>/g)) {
      const lines: Line[] = [];
      for (const lm of bm[1].matchAll(/<line[^>]*>([\s\S]*?)<\/line>/g)) {
        const words = [...lm[1].matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)].map((wm) => ({ text: unescape(wm[2]), box: px(wm[1]), confidence: 1 }));
        if (words.length) lines.push(makeLine(words));
      }
      if (lines.length) blocks.push(makeBlock(lines));
    }
    const width = Math.round(attr(pm[1], 'width') * s), height = Math.round(attr(pm[1], 'height') * s);
    pages.push({ index: pages.length + 1, width, height, dpi, rotation: 0, blocks, source: 'text-layer', warnings: [] });
  }
  return pages;
}

/** Page `index` (1-based) of a PDF as a PNG at `dpi`. */
export async function pdfPageImage(pdf: Buffer, index: number, dpi: number, gray = false): Promise<PageImage> {
  const args = ['-r', String(dpi), '-f', String(index), '-l', String(index), '-singlefile', '-png'];
  if (gray) args.push('-gray');
  // pdftoppm cannot read a PDF from stdin.
  const dir = await mkdtemp(path.join(tmpdir(), 'docr-pdftoppm-'));
  let data: Buffer;
  try {
    await writeFile(path.join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', [...args, path.join(dir, 'in.pdf'), path.join(dir, 'page')]);
    data = await readFile(path.join(dir, 'page.png'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const width = data.readUInt32BE(16), height = data.readUInt32BE(20);
  return { data, width, height, dpi, index };
}

/** Page count of a PDF (pdfinfo). */
export async function pdfPageCount(pdf: Buffer): Promise<number> {
  const info = (await run('pdfinfo', ['-'], pdf)).toString('utf8');
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
}
