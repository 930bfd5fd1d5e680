/**
 * Reading rendered files back the way a user's tools would: LibreOffice headless (a private
 * profile per test file), poppler and qpdf. Everything goes through runProcess.
 */
import { after, before } from 'node:test';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cer } from '../../bench/lib/cer.js';
import { loadRenderCases, type RenderCase } from '../../bench/lib/render-cases.js';
import { runProcess } from '../../src/platform/run-process.js';

export interface ReadBack {
  /** Converts `bytes` (a file of type `ext`) with LibreOffice to `to` (e.g. 'txt:Text', 'pdf', 'html'). */
  convert(bytes: Buffer, ext: string, to: string): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openReadBack(): Promise<ReadBack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'docr-readback-'));
  let n = 0;
  return {
    async convert(bytes, ext, to) {
      const work = path.join(dir, `job${++n}`);
      await mkdir(work, { recursive: true });
      const file = path.join(work, `in.${ext}`);
      await writeFile(file, bytes);
      const r = await runProcess('soffice', [
        `-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore', '--convert-to', to, '--outdir', path.join(work, 'out'), file,
      ], { timeoutMs: 180_000 });
      const produced = await readdir(path.join(work, 'out')).catch(() => [] as string[]);
      if (r.code !== 0 || produced.length === 0) throw new Error(`soffice could not convert ${ext} to ${to}: ${r.stderr.slice(0, 300)}`);
      return readFile(path.join(work, 'out', produced[0]));
    },
    async close() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function tool(cmd: string, args: string[], input?: Buffer): Promise<{ code: number | null; out: string; err: string }> {
  const r = await runProcess(cmd, args, { timeoutMs: 120_000, input });
  return { code: r.code, out: r.stdout.toString('utf8'), err: r.stderr };
}

/** Text of a PDF by pdftotext (`raw`: content-stream order). */
export async function pdfText(pdf: Buffer, raw = false): Promise<string> {
  const r = await tool('pdftotext', [...(raw ? ['-raw'] : []), '-enc', 'UTF-8', '-', '-'], pdf);
  if (r.code !== 0) throw new Error(`pdftotext failed: ${r.err}`);
  return r.out;
}

/**
 * CER (whitespace removed) of a PDF's extracted text against `reference`, in the better of
 * pdftotext's two reading orders: its own column analysis, or content-stream order (-raw),
 * which is the tree's order for docr's text layer. The text must be there either way; which
 * order a given extractor prefers is not the renderer's doing.
 */
export async function pdfTextCer(pdf: Buffer, reference: string): Promise<number> {
  const [layout, raw] = [await pdfText(pdf), await pdfText(pdf, true)];
  return Math.min(cer(layout, reference, 'cjk'), cer(raw, reference, 'cjk'));
}

export async function pdfPages(pdf: Buffer): Promise<number> {
  const r = await tool('pdfinfo', ['-'], pdf);
  return Number(/^Pages:\s+(\d+)/m.exec(r.out)?.[1] ?? -1);
}

/** Page sizes in points, "WxH" rounded, from pdfinfo. */
export async function pdfPageSizes(pdf: Buffer, pages: number): Promise<string[]> {
  const r = await tool('pdfinfo', ['-f', '1', '-l', String(pages), '-'], pdf);
  return [...r.out.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/gm)].map((m) => `${Math.round(+m[1])}x${Math.round(+m[2])}`);
}

/** qpdf --check: exit code 0 (2 is errors, 3 warnings). */
export async function qpdfCheck(pdf: Buffer): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'docr-qpdf-'));
  try {
    await writeFile(path.join(dir, 'x.pdf'), pdf);
    const r = await tool('qpdf', ['--check', path.join(dir, 'x.pdf')]);
    return { ok: r.code === 0, output: r.out + r.err };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One entry of a zip (docx, xlsx, pptx) as text, or the listing when `entry` is omitted. */
export async function zipText(bytes: Buffer, entry?: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'docr-zip-'));
  try {
    await writeFile(path.join(dir, 'x.zip'), bytes);
    const r = await tool('unzip', entry ? ['-p', path.join(dir, 'x.zip'), entry] : ['-Z1', path.join(dir, 'x.zip')]);
    return r.out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of every table cell in LibreOffice's HTML export of a workbook, in document order. */
export function htmlCellText(html: string): string {
  const cells = [...html.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
  const text = cells.map((c) => c.replace(/<br\s*\/?>/g, '\n').replace(/<[^>]+>/g, '')).join('\n');
  return text.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(+d)).replace(/&amp;/g, '&');
}

import { CORPUS } from '../fixtures/corpus.js';

/**
 * Registers the hooks of a renderer test file: the corpus cases built once (with cached
 * tesseract trees) and a LibreOffice profile of its own, removed at the end.
 */
export function renderSuite(): { cases(): RenderCase[]; byName(name: string): RenderCase; lo(): ReadBack } {
  let cases: RenderCase[] = [];
  let lo: ReadBack | undefined;
  before(async () => {
    cases = await loadRenderCases(CORPUS);
    lo = await openReadBack();
  }, { timeout: 600_000 });
  after(async () => { await lo?.close(); });
  return {
    cases: () => cases,
    byName: (name) => cases.find((c) => c.name === name)!,
    lo: () => lo!,
  };
}
