/**
 * Scanned PDF → searchable PDF, docr beside OCRmyPDF (MEASURING.md's peer: Debian's
 * `ocrmypdf --jobs <cores> --output-type pdf --optimize 0 -l <codes>`), each as the command a
 * user types, start to finish (model loading and process start included), in the same run,
 * interleaved per round so load from other work falls on both alike. Per document: wall
 * (median of ctx.runs), CPU (user + system of the command and every process it waited for),
 * peak resident set (the largest single process: /usr/bin/time %M), and the CER of pdftotext's
 * text of each output against the ground truth, per part (pdftotext separates pages by \f).
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '../../src/platform/run-process.js';
import { cer } from './cer.js';
import { REPO } from './corpus.js';
import { buildScannedPdfs, type ScannedPdf } from './scanned-pdfs.js';
import { median, mean, mib, pct, ratio, table, type BenchContext, type BenchSection, type SectionResult } from './section.js';

interface Run { wallS: number; cpuS: number; peakRss: number; outputBytes: number; cer: number; partCers: number[] }

export interface ToolResult {
  tool: string;
  cpu: Tool['cpu'];
  runs: Run[];
  pagesPerMin: number;
  wallS: number;
  cpuS: number;
  peakRss: number;
  cer: number;
  partCers: number[];
  outputBytes: number;
}

interface Tool {
  name: string;
  /** The CPU the command sees: this one, or AVX2 only (bench/avx2-only: AVX-512, VNNI and AMX hidden). */
  cpu: 'native' | 'avx2';
  command(doc: ScannedPdf, out: string): { cmd: string; args: string[]; env?: NodeJS.ProcessEnv };
}

const TIME_FORMAT = 'DOCR_MAXRSS_KB=%M DOCR_CPU=%U+%S';

const AVX2_ONLY = path.join(REPO, 'bench/avx2-only/run.sh');

/** The command as given, or run through bench/avx2-only/run.sh for the AVX2-only rows. */
function on(cpu: Tool['cpu'], cmd: string, args: string[]): { cmd: string; args: string[] } {
  return cpu === 'native' ? { cmd, args } : { cmd: AVX2_ONLY, args: [cmd, ...args] };
}

function docrTool(label: string, cpu: Tool['cpu'] = 'native', env: NodeJS.ProcessEnv = {}): Tool {
  return {
    name: label, cpu,
    command: (doc, out) => ({ ...on(cpu, process.execPath, [path.join(REPO, 'bin/docr'), 'ocr', doc.file, '-l', doc.languages.join(','), '-f', 'pdf', '-o', out]), env }),
  };
}

function ocrmypdfTool(label: string, cpu: Tool['cpu'], cores: number): Tool {
  return {
    name: label, cpu,
    command: (doc, out) => on(cpu, 'ocrmypdf', ['--jobs', String(cores), '--output-type', 'pdf', '--optimize', '0', '-l', doc.tesseract, doc.file, out]),
  };
}

/** Why the AVX2-only rows cannot run on this machine, or undefined when they can (the shim builds and hides AVX-512). */
async function avx2OnlyUnavailable(): Promise<string | undefined> {
  const probe = await runProcess(AVX2_ONLY, [process.execPath, '-e', 'process.stdout.write(String(/\\bavx512f\\b/.test(require("fs").readFileSync("/proc/cpuinfo","utf8"))))'], { timeoutMs: 120_000 })
    .catch((e: Error) => ({ code: -1, stdout: Buffer.alloc(0), stderr: e.message }));
  if (probe.code !== 0) return `bench/avx2-only/run.sh cannot run here (${String(probe.stderr).trim().split('\n').at(-1)}): it needs gcc and a CPU with CPUID faulting (the cpuid_fault flag; Intel, not AMD)`;
  if (probe.stdout.toString() !== 'false') return 'bench/avx2-only/run.sh did not hide AVX-512';
  return undefined;
}

/** Mean CER over the document's parts (each capped at 1, as MEASURING.md says), and each part's. */
async function scoreOutput(doc: ScannedPdf, out: string): Promise<{ cer: number; partCers: number[] }> {
  const r = await runProcess('pdftotext', ['-enc', 'UTF-8', out, '-'], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`pdftotext failed on ${out}: ${r.stderr.slice(-300)}`);
  const pages = r.stdout.toString('utf8').split('\f');
  let at = 0;
  const partCers = doc.parts.map((p) => {
    const text = pages.slice(at, at + p.pages).join('\n');
    at += p.pages;
    return p.upper ? cer(text.toUpperCase(), p.gt.toUpperCase()) : cer(text, p.gt);
  });
  return { cer: mean(partCers), partCers };
}

async function runOnce(tool: Tool, doc: ScannedPdf, out: string): Promise<Run> {
  const { cmd, args, env } = tool.command(doc, out);
  const t0 = performance.now();
  const r = await runProcess('/usr/bin/time', ['-f', TIME_FORMAT, cmd, ...args], { timeoutMs: 30 * 60_000, cwd: REPO, env: { ...process.env, ...env } });
  const wallS = (performance.now() - t0) / 1000;
  if (r.code !== 0) throw new Error(`${tool.name} failed on ${doc.id} (exit ${r.code}): ${r.stderr.slice(-1500)}`);
  const cpu = /DOCR_CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  const kb = Number(/DOCR_MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { wallS, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, peakRss: kb * 1024, outputBytes: statSync(out).size, ...await scoreOutput(doc, out) };
}

function summarise(tool: Tool, doc: ScannedPdf, runs: Run[]): ToolResult {
  const wallS = median(runs.map((r) => r.wallS));
  return {
    tool: tool.name, cpu: tool.cpu, runs, wallS, pagesPerMin: doc.pages / (wallS / 60), cpuS: median(runs.map((r) => r.cpuS)),
    peakRss: Math.max(...runs.map((r) => r.peakRss)), cer: runs[0].cer, partCers: runs[0].partCers, outputBytes: runs[0].outputBytes,
  };
}

function docMarkdown(doc: ScannedPdf, results: ToolResult[]): string {
  // Each row is compared with OCRmyPDF on the same CPU features (the last row of its kind).
  const peerOf = (r: ToolResult) => results.filter((x) => x.cpu === r.cpu).at(-1)!;
  const parts = doc.parts.length > 1
    ? ['', `CER per part: ${results.map((r) => `${r.tool}: ${doc.parts.map((p, i) => `${p.label} ${pct(r.partCers[i])}`).join(', ')}`).join('; ')}.`]
    : [];
  return [
    `### ${doc.title}`,
    '',
    `${doc.pages} page${doc.pages > 1 ? 's' : ''}; docr \`-l ${doc.languages.join(',')}\`, OCRmyPDF \`-l ${doc.tesseract}\`.`,
    '',
    table(['command', 'pages/min', 'vs OCRmyPDF', 'wall s (runs)', 'CPU s', 'CPU s/page', 'peak RSS', 'CER (pdftotext)', 'CER − OCRmyPDF', 'output'],
      results.map((r) => [r.tool, r.pagesPerMin.toFixed(1), ratio(r.pagesPerMin, peerOf(r).pagesPerMin), r.runs.map((x) => x.wallS.toFixed(1)).join(' / '),
        r.cpuS.toFixed(1), (r.cpuS / doc.pages).toFixed(2), mib(r.peakRss), pct(r.cer), `${((r.cer - peerOf(r).cer) * 100).toFixed(1)} pt`, `${Math.round(r.outputBytes / 1024)} KiB`])),
    ...parts,
  ].join('\n');
}

export const searchablePdfSection: BenchSection = {
  id: 'pdf',
  title: 'Scanned PDF → searchable PDF, beside OCRmyPDF',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const version = await runProcess('ocrmypdf', ['--version'], { timeoutMs: 60_000 }).catch(() => undefined);
    if (version?.code !== 0) throw new Error('ocrmypdf is not installed: run npm run setup (it installs Debian\'s ocrmypdf).');
    const dir = path.join(ctx.workDir, 'searchable-pdf');
    mkdirSync(dir, { recursive: true });
    const docs = await buildScannedPdfs(dir);
    // Both programs again on the same cores with AVX-512, VNNI and AMX hidden: what they run on
    // an ordinary AVX2 CPU (their kernels are chosen by CPUID; bench/avx2-only/cpuid-mask.c).
    const noAvx2Rows = await avx2OnlyUnavailable();
    if (noAvx2Rows) ctx.log(`pdf: no AVX2-only rows: ${noAvx2Rows}`);
    const tools = [
      docrTool('docr ocr -f pdf'),
      docrTool('docr, engine policy on', 'native', { DOCR_ENGINE_POLICY: 'on' }),
      ocrmypdfTool(`OCRmyPDF --jobs ${ctx.cores}`, 'native', ctx.cores),
      ...noAvx2Rows ? [] : [docrTool('docr ocr -f pdf, AVX2 only', 'avx2'), ocrmypdfTool(`OCRmyPDF --jobs ${ctx.cores}, AVX2 only`, 'avx2', ctx.cores)],
    ];
    const runs = docs.map(() => tools.map(() => [] as Run[]));
    for (let round = 0; round < ctx.runs; round++) {
      for (const [d, doc] of docs.entries()) {
        for (const [t, tool] of tools.entries()) {
          const run = await runOnce(tool, doc, path.join(dir, `${doc.id}-${t}-${round}.pdf`));
          runs[d][t].push(run);
          ctx.log(`pdf: ${doc.id} ${tool.name} run ${round + 1}: ${run.wallS.toFixed(1)} s, CER ${pct(run.cer)}`);
        }
      }
    }
    const results = docs.map((doc, d) => tools.map((tool, t) => summarise(tool, doc, runs[d][t])));
    return {
      data: { ocrmypdf: version.stdout.toString('utf8').trim(), documents: docs.map((doc, d) => ({ id: doc.id, title: doc.title, pages: doc.pages, languages: doc.languages, tesseract: doc.tesseract, results: results[d] })) },
      markdown: [
        `Each command as a user types it, start to finish (process start and model loading included): \`docr ocr FILE -l LANGS -f pdf -o OUT\` and \`ocrmypdf --jobs ${ctx.cores} --output-type pdf --optimize 0 -l CODES FILE OUT\` (OCRmyPDF ${version.stdout.toString('utf8').trim()}, Tesseract underneath). Wall: median of ${ctx.runs} runs, interleaved. CPU: user + system of the command and its children (median). Peak RSS: the largest single process. CER: \`pdftotext\` of each output against the ground truth, per MEASURING.md, mean over the document's parts. The first rows are docr as it runs on this CPU (\`engine policy on\` routes clean dense Latin pages to Tesseract whatever the CPU: DOCR_ENGINE_POLICY=on) and OCRmyPDF; the rows marked "AVX2 only" run both again with AVX-512, VNNI and AMX hidden from CPUID and /proc/cpuinfo (bench/avx2-only/run.sh), so ONNX Runtime, Tesseract and docr choose the kernels and settings of an ordinary AVX2 CPU. Each row's ratio and CER difference are against OCRmyPDF on the same CPU features.${noAvx2Rows ? ` No AVX2-only rows in this run: ${noAvx2Rows}.` : ''}`,
        '',
        ...results.flatMap((r, d) => [docMarkdown(docs[d], r), '']),
      ].join('\n'),
    };
  },
};
