/**
 * A seeded mutation fuzzer over corpus files of every input kind, through the whole pipeline
 * (`startLocal`: the same runTask the server runs, with the real normaliser, engines in their
 * processes, layout and renderers). Mutations: truncation, bit flips, wrong length fields,
 * swapped chunks, and pairs of them. A case passes when it ends in one of the documented
 * final states a damaged input may reach, within the time bound, with the process tree's
 * memory under the bound. Same seed, same cases.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocal } from '../../src/composition/roles/local.js';
import type { OutputFormat } from '../../src/contract/formats.js';
import { isDocrError, taskStateOf } from '../../src/domain/errors.js';
import { descendantsOf, residentBytes } from '../../src/platform/process-tree.js';

/** One file per input kind (small ones, so a case costs seconds). */
export const FUZZ_SEEDS = [
  'images-en/ocropy_1241-010032.png', 'images-zh/cnocr_helloworld.jpg', 'formats/tessjs_simple-gif.gif',
  'formats/bmpsuite_g_pal8.bmp', 'formats/pytesseract_test-tiff.tiff', 'formats/pytesseract_test-webp.webp',
  'pdf/pypdf_crazyones.pdf', 'pdf/samplefiles_pdflatex-4-pages.pdf', 'office/tika_testWORD_docx.docx',
  'office/tika_testEXCEL_xlsx.xlsx', 'office/tika_testPPT_pptx.pptx', 'office/tika_testWORD6.doc',
  'office/tika_testEXCEL_xls.xls', 'office/tika_testPPT_ppt.ppt',
] as const;

/**
 * Final states a damaged input may end in (SPEC §3): 1 read anyway, -7 invalid file, -9 no
 * page readable, -11 nothing recognised, -13 an engine died twice on it (isolated, retried),
 * -14 outside the limits. -1 (an internal error) and -8 (a hang until the task limit) fail.
 */
export const FUZZ_ALLOWED_STATES: ReadonlySet<number> = new Set([1, -7, -9, -11, -13, -14]);

const FORMATS: OutputFormat[] = ['txt', 'pdf', 'docx', 'json'];

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Mutation = (b: Buffer, rand: () => number) => { bytes: Buffer; how: string };
const at = (rand: () => number, n: number) => Math.floor(rand() * n);

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, rand) => {
    const keep = at(rand, b.length);
    return { bytes: b.subarray(0, keep), how: `truncated to ${keep} of ${b.length} bytes` };
  },
  bitflips: (b, rand) => {
    const out = Buffer.from(b);
    const n = 1 + at(rand, 16);
    for (let i = 0; i < n; i++) out[at(rand, out.length)] ^= 1 << at(rand, 8);
    return { bytes: out, how: `${n} bit flips` };
  },
  /** A 32-bit field overwritten with a value lengths and counts go wrong with, near the start (where headers are) or anywhere. */
  wrongLength: (b, rand) => {
    const out = Buffer.from(b);
    if (out.length < 8) return { bytes: out, how: 'too short for a length field' };
    const near = rand() < 0.6 ? Math.min(out.length - 4, 512) : out.length - 4;
    const off = at(rand, near);
    const values = [0, 1, 0x7fffffff, 0xffffffff, out.length * 2, 0x10000];
    const v = values[at(rand, values.length)];
    if (rand() < 0.5) out.writeUInt32LE(v >>> 0, off); else out.writeUInt32BE(v >>> 0, off);
    return { bytes: out, how: `32-bit field at ${off} set to ${v}` };
  },
  /** PDF: a stream's /Length or an xref offset rewritten (a no-op mutation elsewhere falls back to wrongLength). */
  pdfLength: (b, rand) => {
    const text = b.toString('latin1');
    const lengths = [...text.matchAll(/\/Length (\d+)/g)];
    if (lengths.length === 0) return MUTATIONS.wrongLength(b, rand);
    const m = lengths[at(rand, lengths.length)];
    const wrong = String([0, 1, Number(m[1]) * 3, 999999999][at(rand, 4)]);
    return { bytes: Buffer.from(text.slice(0, m.index) + `/Length ${wrong}` + text.slice(m.index! + m[0].length), 'latin1'), how: `/Length ${m[1]} → ${wrong}` };
  },
  swapChunks: (b, rand) => {
    const out = Buffer.from(b);
    const size = Math.max(1, Math.min(at(rand, 4096) + 16, Math.floor(out.length / 2)));
    const a = at(rand, out.length - size), c = at(rand, out.length - size);
    const first = Buffer.from(out.subarray(a, a + size));
    out.copy(out, a, c, c + size);
    first.copy(out, c);
    return { bytes: out, how: `swapped ${size} bytes at ${a} and ${c}` };
  },
};

export interface FuzzCase { index: number; seed: string; how: string; format: OutputFormat; state: number; code?: string; ms: number }

export interface FuzzReport {
  seed: number;
  cases: FuzzCase[];
  /** Cases whose outcome is not allowed (with why). */
  failures: Array<FuzzCase & { why: string }>;
  /** Count per final state. */
  byState: Record<string, number>;
  slowestMs: number;
  /** Largest summed resident size of this process and its descendants seen. */
  peakTreeBytes: number;
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Stop starting cases after this long (the report says how many ran). */
  budgetMs: number;
  /** A case that takes longer fails (a hang). */
  caseLimitMs: number;
  /** The process tree above this many resident bytes fails the run. */
  memoryLimitBytes: number;
  corpus: string;
  log?: (line: string) => void;
}

function treeBytes(): number {
  return process.memoryUsage.rss() + descendantsOf(process.pid).reduce((s, pid) => s + residentBytes(pid), 0);
}

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const rand = random(o.seed);
  const names = Object.keys(MUTATIONS);
  const dir = await mkdtemp(path.join(tmpdir(), 'docr-fuzz-'));
  const local = await startLocal({ workers: 2, processingTimeoutMs: o.caseLimitMs });
  const report: FuzzReport = { seed: o.seed, cases: [], failures: [], byState: {}, slowestMs: 0, peakTreeBytes: treeBytes() };
  const sampler = setInterval(() => { report.peakTreeBytes = Math.max(report.peakTreeBytes, treeBytes()); }, 200);
  const started = Date.now();
  try {
    for (let i = 0; i < o.cases && Date.now() - started < o.budgetMs; i++) {
      const seed = FUZZ_SEEDS[i % FUZZ_SEEDS.length];
      let bytes: Buffer = readFileSync(path.join(o.corpus, seed));
      const hows: string[] = [];
      for (let k = rand() < 0.25 ? 2 : 1; k > 0; k--) {
        const m = MUTATIONS[names[at(rand, names.length)]](bytes, rand);
        bytes = m.bytes;
        hows.push(m.how);
      }
      const format = FORMATS[at(rand, FORMATS.length)];
      const input = path.join(dir, `case-${i}${path.extname(seed)}`);
      await writeFile(input, bytes);
      const t0 = Date.now();
      const c: FuzzCase = { index: i, seed, how: hows.join(', '), format, state: 1, ms: 0 };
      try {
        await local.run({ input, languages: ['English'], format });
      } catch (e) {
        c.state = isDocrError(e) ? taskStateOf(e) : -1;
        c.code = isDocrError(e) ? e.code : `thrown: ${String(e)}`;
      }
      c.ms = Date.now() - t0;
      await rm(input, { force: true });
      report.cases.push(c);
      report.byState[c.state] = (report.byState[c.state] ?? 0) + 1;
      report.slowestMs = Math.max(report.slowestMs, c.ms);
      const why = !FUZZ_ALLOWED_STATES.has(c.state) ? `ended in ${c.state} (${c.code})`
        : c.ms > o.caseLimitMs ? `took ${c.ms} ms` : undefined;
      if (why) report.failures.push({ ...c, why });
      o.log?.(`case ${i} ${seed} [${c.how}] → ${format}: ${c.state}${c.code ? ` ${c.code}` : ''} in ${c.ms} ms${why ? `  FAIL: ${why}` : ''}`);
    }
    // The pipeline still reads an intact file after everything it was fed.
    await local.run({ input: path.join(o.corpus, FUZZ_SEEDS[0]), languages: ['English'], format: 'txt' });
  } finally {
    clearInterval(sampler);
    await local.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (report.peakTreeBytes > o.memoryLimitBytes) {
    report.failures.push({ index: -1, seed: '-', how: '-', format: 'txt', state: 0, ms: 0, why: `memory peaked at ${Math.round(report.peakTreeBytes / 1048576)} MiB` });
  }
  return report;
}

export function summary(r: FuzzReport): string {
  const states = Object.entries(r.byState).sort(([a], [b]) => Number(b) - Number(a)).map(([s, n]) => `${s}: ${n}`).join(', ');
  return `seed ${r.seed}: ${r.cases.length} cases (${states}); slowest ${r.slowestMs} ms; peak memory ${Math.round(r.peakTreeBytes / 1048576)} MiB; ${r.failures.length} failures`;
}
