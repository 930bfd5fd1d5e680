/**
 * Throughput on dense real pages: the corpus's scanned and LaTeX PDFs rendered at 300 dpi,
 * every page submitted at once, wall clock. docr runs in a child process (bench/lib/docr-batch.ts)
 * in two shapes (N one-thread engines; one N-thread engine); the peer is native Tesseract,
 * one thread per process, as many processes as cores. Each figure is the median of
 * `ctx.runs` runs. CER on the same pages shows the speed is not bought with accuracy.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '../../src/platform/run-process.js';
import { cer } from './cer.js';
import { corpusFile, readManifest, REPO, type ManifestEntry } from './corpus.js';
import type { BatchJob, BatchResult } from './docr-batch.js';
import { mapConcurrent, runNativeTesseract } from './tesseract-cli.js';
import { median, mib, pct, ratio, table, type BenchContext, type BenchSection, type SectionResult } from './section.js';
import { readFileSync } from 'node:fs';

/** Dense English pages: LaTeX (4 pages), a born-digital letter page, three scanned pages (CCITT, JBIG2, JPEG). */
const DOCUMENTS = ['pdf-samplefiles-4pages', 'pdf-pypdf-crazyones', 'pdf-ocrmypdf-ccitt', 'pdf-ocrmypdf-jbig2', 'pdf-tika-testOCR-scanned'];

interface RenderedDoc { entry: ManifestEntry; pages: string[] }

export interface ShapeResult {
  name: string;
  workers: number;
  threadsPerEngine: number;
  pagesPerMin: number;
  wallMs: number[];
  loadMs: number;
  peakRss: number;
  cer: Record<string, number>;
}

async function render(ctx: BenchContext): Promise<RenderedDoc[]> {
  const manifest = readManifest();
  const docs: RenderedDoc[] = [];
  for (const id of DOCUMENTS) {
    const entry = manifest.find((e) => e.id === id);
    if (!entry) continue;
    const prefix = path.join(ctx.workDir, id);
    const r = await runProcess('pdftoppm', ['-r', '300', '-png', corpusFile(entry.path), prefix], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`pdftoppm failed on ${entry.path}: ${r.stderr}`);
    const pages = readdirSync(ctx.workDir).filter((f) => f.startsWith(`${id}-`) && f.endsWith('.png')).sort().map((f) => path.join(ctx.workDir, f));
    docs.push({ entry, pages });
  }
  return docs;
}

/** CER per document with ground truth: its pages' texts joined in order. */
function documentCer(docs: RenderedDoc[], texts: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  let i = 0;
  for (const d of docs) {
    const t = texts.slice(i, i + d.pages.length).join('\n');
    i += d.pages.length;
    if (d.entry.gt_path) out[d.entry.id] = cer(t, readFileSync(corpusFile(d.entry.gt_path), 'utf8'));
  }
  return out;
}

async function docrShape(ctx: BenchContext, docs: RenderedDoc[], name: string, workers: number, threadsPerEngine: number): Promise<ShapeResult> {
  const job: BatchJob = { pages: docs.flatMap((d) => d.pages), languages: ['English'], workers, threadsPerEngine, warmup: corpusFile('images-en/tessjs_testocr.png') };
  const jobFile = path.join(ctx.workDir, `job-${workers}x${threadsPerEngine}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const results: BatchResult[] = [];
  for (let run = 0; run < ctx.runs; run++) {
    const r = await runProcess(process.execPath, ['--import', 'tsx', path.join(REPO, 'bench/lib/docr-batch.ts'), jobFile], { timeoutMs: 15 * 60_000, cwd: REPO });
    if (r.code !== 0) throw new Error(`docr batch failed: ${r.stderr.slice(-1000)}`);
    results.push(JSON.parse(r.stdout.toString('utf8')) as BatchResult);
    ctx.log(`throughput: ${name} run ${run + 1}: ${Math.round(results.at(-1)!.wallMs)} ms`);
  }
  const wall = median(results.map((r) => r.wallMs));
  return {
    name, workers, threadsPerEngine, wallMs: results.map((r) => r.wallMs), pagesPerMin: job.pages.length / (wall / 60_000),
    loadMs: median(results.map((r) => r.loadMs)), peakRss: Math.max(...results.map((r) => r.peakRss)), cer: documentCer(docs, results[0].texts),
  };
}

async function tesseractShape(ctx: BenchContext, docs: RenderedDoc[]): Promise<ShapeResult> {
  const pages = docs.flatMap((d) => d.pages);
  const walls: number[] = [];
  let peak = 0;
  let texts: string[] = [];
  for (let run = 0; run < ctx.runs; run++) {
    const t0 = performance.now();
    const out = await mapConcurrent(pages, ctx.cores, (p) => runNativeTesseract(p, 'eng'));
    walls.push(performance.now() - t0);
    peak = Math.max(peak, ...out.map((o) => o.peakRss));
    texts = out.map((o) => o.text);
    ctx.log(`throughput: tesseract run ${run + 1}: ${Math.round(walls.at(-1)!)} ms`);
  }
  return { name: `Tesseract, ${ctx.cores} processes × 1 thread`, workers: ctx.cores, threadsPerEngine: 1, wallMs: walls, pagesPerMin: pages.length / (median(walls) / 60_000), loadMs: 0, peakRss: peak, cer: documentCer(docs, texts) };
}

function markdown(docs: RenderedDoc[], shapes: ShapeResult[], peer: ShapeResult): string {
  const pages = docs.reduce((n, d) => n + d.pages.length, 0);
  const cerIds = Object.keys(peer.cer);
  return [
    `${pages} pages at 300 dpi from ${docs.map((d) => `${d.entry.path} (${d.pages.length})`).join(', ')}; all submitted at once; wall clock, median of ${peer.wallMs.length} runs. docr's engines are warm (model loading, reported apart, happens once per worker at start).`,
    '',
    table(['configuration', 'pages/min', 'vs Tesseract', 'wall ms (runs)', 'model load ms', ...cerIds.map((id) => `CER ${id}`)],
      [...shapes, peer].map((s) => [s.name, s.pagesPerMin.toFixed(1), ratio(s.pagesPerMin, peer.pagesPerMin), s.wallMs.map(Math.round).join(' / '), Math.round(s.loadMs), ...cerIds.map((id) => pct(s.cer[id] ?? NaN))])),
    '',
    `Peak memory in these runs: ${[...shapes, peer].map((s) => `${s.name}: ${mib(s.peakRss)}`).join('; ')} (see the memory section).`,
  ].join('\n');
}

export const throughputSection: BenchSection = {
  id: 'throughput',
  title: 'Throughput on dense pages',
  async run(ctx): Promise<SectionResult> {
    const docs = await render(ctx);
    const shapes = [
      await docrShape(ctx, docs, `docr, ${ctx.cores} engines × 1 thread`, ctx.cores, 1),
      await docrShape(ctx, docs, `docr, 1 engine × ${ctx.cores} threads`, 1, ctx.cores),
    ];
    const peer = await tesseractShape(ctx, docs);
    return { data: { pages: docs.map((d) => ({ id: d.entry.id, pages: d.pages.length })), docr: shapes, tesseract: peer }, markdown: markdown(docs, shapes, peer) };
  },
};
