/**
 * The cost of engine isolation: the same warm recognizer (2 engines × 1 thread, PP-OCR on
 * dense English pages at 300 dpi) with its instances in child processes and in worker
 * threads, rounds interleaved so other load on the machine falls on both alike. Reports
 * pages per minute (wall clock, median), CPU seconds per page (the process tree's), peak
 * resident memory (the process tree's, summed) and model load time.
 * Usage: heavy node --import tsx bench/isolation.ts [--rounds 3] [--out bench/isolation.md]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createNormaliser } from '../src/normalisers/index.js';
import { runProcess } from '../src/platform/run-process.js';
import { corpusFile, REPO } from './lib/corpus.js';
import type { BatchJob, BatchResult } from './lib/docr-batch.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, out: { type: 'string' } } });
const rounds = Number(values.rounds);
const DOCUMENTS = ['pdf/samplefiles_pdflatex-4-pages.pdf', 'pdf/tika_testOCR.pdf'];
const work = mkdtempSync(path.join(os.tmpdir(), 'docr-bench-isolation-'));

async function renderPages(): Promise<string[]> {
  const normaliser = createNormaliser({ officeWarm: false });
  const files: string[] = [];
  for (const rel of DOCUMENTS) {
    const doc = await normaliser.open({ path: corpusFile(rel), workDir: work });
    try {
      for await (const page of doc.pages()) {
        const file = path.join(work, `${path.basename(rel, '.pdf')}-${page.index}.png`);
        writeFileSync(file, (page.image ?? await page.renderImage()).data);
        files.push(file);
      }
    } finally { await doc.close(); }
  }
  await normaliser.close();
  return files;
}

async function batch(job: BatchJob): Promise<BatchResult> {
  const file = path.join(work, `job-${job.isolation}.json`);
  writeFileSync(file, JSON.stringify(job));
  const r = await runProcess(process.execPath, ['--import', 'tsx', path.join(REPO, 'bench/lib/docr-batch.ts'), file], { timeoutMs: 15 * 60_000, cwd: REPO });
  if (r.code !== 0) throw new Error(`batch failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.toString('utf8')) as BatchResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (b: number) => `${Math.round(b / 1048576)} MiB`;

try {
  const pages = await renderPages();
  const base: Omit<BatchJob, 'isolation'> = { pages, languages: ['English'], workers: 2, threadsPerEngine: 1, warmup: corpusFile('images-en/tessjs_testocr.png') };
  const runs: Record<'process' | 'thread', BatchResult[]> = { process: [], thread: [] };
  for (let i = 0; i < rounds; i++) {
    const order: Array<'process' | 'thread'> = i % 2 === 0 ? ['thread', 'process'] : ['process', 'thread'];
    for (const isolation of order) {
      const r = await batch({ ...base, isolation });
      runs[isolation].push(r);
      console.error(`round ${i + 1} ${isolation}: ${Math.round(r.wallMs)} ms, ${r.cpuS.toFixed(1)} CPU s, peak ${mib(r.peakRss)}`);
    }
  }
  const row = (name: 'process' | 'thread') => {
    const rs = runs[name];
    return {
      name, pagesPerMin: pages.length / (median(rs.map((r) => r.wallMs)) / 60_000), cpuSPerPage: median(rs.map((r) => r.cpuS)) / pages.length,
      peakRss: Math.max(...rs.map((r) => r.peakRss)), loadMs: median(rs.map((r) => r.loadMs)), wall: rs.map((r) => Math.round(r.wallMs)),
    };
  };
  const [p, t] = [row('process'), row('thread')];
  const change = (a: number, b: number) => `${a >= b ? '+' : ''}${((a / b - 1) * 100).toFixed(1)} %`;
  const md = [
    `${pages.length} dense pages (${DOCUMENTS.join(', ')}) at 300 dpi, 2 engines × 1 thread, ${rounds} interleaved rounds; ${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)} at the end.`,
    '',
    '| instances in | pages/min | wall ms (runs) | CPU s/page | peak RSS (tree) | model load ms |',
    '| --- | --- | --- | --- | --- | --- |',
    ...[p, t].map((r) => `| ${r.name}es | ${r.pagesPerMin.toFixed(1)} | ${r.wall.join(' / ')} | ${r.cpuSPerPage.toFixed(2)} | ${mib(r.peakRss)} | ${Math.round(r.loadMs)} |`.replace('threades', 'threads')),
    '',
    `Processes against threads: pages/min ${change(p.pagesPerMin, t.pagesPerMin)}, CPU per page ${change(p.cpuSPerPage, t.cpuSPerPage)}, peak memory ${change(p.peakRss, t.peakRss)}, model load ${change(p.loadMs, t.loadMs)}.`,
  ].join('\n');
  console.log(md);
  if (values.out) writeFileSync(values.out, `# Engine isolation: processes against threads\n\n${md}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
