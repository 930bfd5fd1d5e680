/**
 * Throughput on dense real pages: the corpus's scanned and LaTeX PDFs rendered at 300 dpi by docr's normaliser,
 * every page submitted at once, wall clock. docr runs in a child process (bench/lib/docr-batch.ts)
 * in two shapes (N one-thread engines; one N-thread engine); the peer is native Tesseract,
 * one thread per process, as many processes as cores. Each figure is the median of
 * `ctx.runs` runs. CER on the same pages shows the speed is not bought with accuracy.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createNormaliser } from '../../src/normalisers/index.js';
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
  /** CPU seconds per page (median run): a figure that other work on the machine does not distort. */
  cpuSPerPage: number;
  cer: Record<string, number>;
}

async function render(ctx: BenchContext): Promise<RenderedDoc[]> {
  const manifest = readManifest();
  const docs: RenderedDoc[] = [];
  const normaliser = createNormaliser({ officeWarm: false });
  for (const id of DOCUMENTS) {
    const entry = manifest.find((e) => e.id === id);
    if (!entry) continue;
    // Rendered by the service's own normaliser (MuPDF, 300 dpi), so both engines read the pages
    // docr reads in production (pdftoppm smooths 1-bit scans, which costs PP-OCR ~6 CER points).
    const doc = await normaliser.open({ path: corpusFile(entry.path), workDir: ctx.workDir });
    const pages: string[] = [];
    try {
      for await (const page of doc.pages()) {
        const file = path.join(ctx.workDir, `${id}-${String(page.index).padStart(3, '0')}.png`);
        writeFileSync(file, (page.image ?? await page.renderImage()).data);
        pages.push(file);
      }
    } finally {
      await doc.close();
    }
    docs.push({ entry, pages });
  }
  await normaliser.close();
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

interface Shape { name: string; workers: number; threadsPerEngine: number; once(): Promise<BatchResult> }

function docrShape(ctx: BenchContext, docs: RenderedDoc[], workers: number, threadsPerEngine: number, precision: 'auto' | 'float' = 'auto'): Shape {
  const job: BatchJob = { pages: docs.flatMap((d) => d.pages), languages: ['English'], workers, threadsPerEngine, warmup: corpusFile('images-en/tessjs_testocr.png'), precision };
  const jobFile = path.join(ctx.workDir, `job-${workers}x${threadsPerEngine}-${precision}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const name = `docr, ${workers} engine${workers > 1 ? 's' : ''} × ${threadsPerEngine} thread${threadsPerEngine > 1 ? 's' : ''}${precision === 'float' ? ', float recogniser (the engine policy routes clean dense pages to Tesseract)' : ''}`;
  return {
    name, workers, threadsPerEngine,
    async once() {
      const r = await runProcess(process.execPath, ['--import', 'tsx', path.join(REPO, 'bench/lib/docr-batch.ts'), jobFile], { timeoutMs: 15 * 60_000, cwd: REPO });
      if (r.code !== 0) throw new Error(`docr batch failed: ${r.stderr.slice(-1000)}`);
      return JSON.parse(r.stdout.toString('utf8')) as BatchResult;
    },
  };
}

function tesseractShape(ctx: BenchContext, docs: RenderedDoc[]): Shape {
  const pages = docs.flatMap((d) => d.pages);
  return {
    name: `Tesseract, ${ctx.cores} processes × 1 thread`, workers: ctx.cores, threadsPerEngine: 1,
    async once() {
      const t0 = performance.now();
      const out = await mapConcurrent(pages, ctx.cores, (p) => runNativeTesseract(p, 'eng'));
      return { loadMs: 0, wallMs: performance.now() - t0, texts: out.map((o) => o.text), peakRss: Math.max(...out.map((o) => o.peakRss)), cpuS: out.reduce((t, o) => t + o.cpuS, 0) };
    },
  };
}

/** Runs every shape once per round, interleaved, so load from other work on the machine falls on all of them alike. */
async function measure(ctx: BenchContext, docs: RenderedDoc[], shapes: Shape[]): Promise<ShapeResult[]> {
  const pages = docs.reduce((n, d) => n + d.pages.length, 0);
  const runs = shapes.map(() => [] as BatchResult[]);
  for (let round = 0; round < ctx.runs; round++) {
    for (const [i, s] of shapes.entries()) {
      runs[i].push(await s.once());
      ctx.log(`throughput: ${s.name} run ${round + 1}: ${Math.round(runs[i].at(-1)!.wallMs)} ms`);
    }
  }
  return shapes.map((s, i) => ({
    name: s.name, workers: s.workers, threadsPerEngine: s.threadsPerEngine, wallMs: runs[i].map((r) => r.wallMs),
    pagesPerMin: pages / (median(runs[i].map((r) => r.wallMs)) / 60_000), loadMs: median(runs[i].map((r) => r.loadMs)),
    peakRss: Math.max(...runs[i].map((r) => r.peakRss)), cpuSPerPage: median(runs[i].map((r) => r.cpuS)) / pages, cer: documentCer(docs, runs[i][0].texts),
  }));
}

function markdown(docs: RenderedDoc[], shapes: ShapeResult[], peer: ShapeResult): string {
  const pages = docs.reduce((n, d) => n + d.pages.length, 0);
  const cerIds = Object.keys(peer.cer);
  return [
    `${pages} pages at 300 dpi from ${docs.map((d) => `${d.entry.path} (${d.pages.length})`).join(', ')}; all submitted at once; wall clock, median of ${peer.wallMs.length} runs. docr's engines are warm (model loading, reported apart, happens once per worker at start).`,
    '',
    table(['configuration', 'pages/min', 'vs Tesseract', 'wall ms (runs)', 'CPU s/page', 'CPU vs Tesseract', 'model load ms', ...cerIds.map((id) => `CER ${id}`)],
      [...shapes, peer].map((s) => [s.name, s.pagesPerMin.toFixed(1), ratio(s.pagesPerMin, peer.pagesPerMin), s.wallMs.map(Math.round).join(' / '), s.cpuSPerPage.toFixed(2), ratio(s.cpuSPerPage, peer.cpuSPerPage), Math.round(s.loadMs), ...cerIds.map((id) => pct(s.cer[id] ?? NaN))])),
    '',
    'CPU s/page is user + system CPU time per page (every thread; for Tesseract the sum over its processes): unlike wall clock it is not inflated when other work shares the cores, so compare it when the load average in the header is high. Below 1× means docr needs less CPU per page.',
    '',
    `Peak memory in these runs: ${[...shapes, peer].map((s) => `${s.name}: ${mib(s.peakRss)}`).join('; ')} (see the memory section).`,
  ].join('\n');
}

export const throughputSection: BenchSection = {
  id: 'throughput',
  title: 'Throughput on dense pages',
  async run(ctx): Promise<SectionResult> {
    const docs = await render(ctx);
    // The default shape (int8 recogniser on AVX2 CPUs; without VNNI the engine policy routes), the one-big-engine shape, and
    // the float recogniser for comparison (DOCR_PPOCR_PRECISION=float).
    const measured = await measure(ctx, docs, [docrShape(ctx, docs, ctx.cores, 1), docrShape(ctx, docs, 1, ctx.cores), docrShape(ctx, docs, ctx.cores, 1, 'float'), tesseractShape(ctx, docs)]);
    const peer = measured.pop()!;
    const shapes = measured;
    return { data: { pages: docs.map((d) => ({ id: d.entry.id, pages: d.pages.length })), docr: shapes, tesseract: peer }, markdown: markdown(docs, shapes, peer) };
  },
};
