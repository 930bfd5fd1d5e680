/**
 * Input-format rows (issue 4): seconds per page to normalise a born-digital PDF, a scanned
 * PDF, a docx and an xlsx through the real Normaliser: type detection, decryption, LibreOffice
 * conversion, text-layer extraction or page rendering. Recognition is not included. Office
 * files are timed cold (a fresh LibreOffice per file) and warm (a standby instance started
 * ahead, as in a service with idle moments between tasks).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createNormaliser, type NormaliserOptions } from '../../src/normalisers/index.js';
import type { Normaliser } from '../../src/ports/normaliser.js';
import { CORPUS } from './corpus.js';
import { median, table, type BenchContext, type BenchSection, type SectionResult } from './section.js';

export interface InputFormatRow {
  input: string;
  file: string;
  mode: 'cold' | 'warm' | '-';
  pages: number;
  /** Pages read from a text layer / rendered for OCR. */
  textPages: number;
  imagePages: number;
  secondsPerPage: number;
  secondsPerDocument: number;
}

const CASES: Array<{ input: string; file: string; office: boolean }> = [
  { input: 'born-digital PDF', file: 'pdf/samplefiles_pdflatex-4-pages.pdf', office: false },
  { input: 'scanned PDF', file: 'pdf/ocrmypdf_ccitt.pdf', office: false },
  { input: 'scanned PDF, mixed sizes', file: 'pdf/ocrmypdf_multipage.pdf', office: false },
  { input: 'docx', file: 'office/tika_testWORD_docx.docx', office: true },
  { input: 'xlsx', file: 'office/poi_stress020.xlsx', office: true },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Timed { seconds: number; pages: number; textPages: number; imagePages: number }

async function timeOnce(n: Normaliser, file: string, workDir: string): Promise<Timed> {
  const t0 = process.hrtime.bigint();
  const doc = await n.open({ path: path.join(CORPUS, file), workDir });
  let pages = 0, textPages = 0, imagePages = 0;
  for await (const p of doc.pages()) {
    pages++;
    if (p.textPage) textPages++;
    if (p.image) imagePages++;
  }
  await doc.close();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, pages, textPages, imagePages };
}

/** One normaliser per case and mode, like a service: an untimed first run (profile creation), then `runs` timed ones. */
async function timeCase(options: NormaliserOptions, file: string, workDir: string, runs: number, settleMs: number): Promise<Timed[]> {
  const n = createNormaliser(options);
  try {
    await timeOnce(n, file, workDir);
    const out: Timed[] = [];
    for (let i = 0; i < runs; i++) {
      await sleep(settleMs); // idle time between tasks lets the standby come up
      out.push(await timeOnce(n, file, workDir));
    }
    return out;
  } finally {
    await n.close();
  }
}

/** Measures every case `runs` times (median reported). */
export async function measureInputFormats(runs = 3, log: (m: string) => void = () => {}): Promise<InputFormatRow[]> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'docr-bench-input-'));
  const rows: InputFormatRow[] = [];
  try {
    for (const c of CASES) {
      const modes: Array<InputFormatRow['mode']> = c.office ? ['cold', 'warm'] : ['-'];
      for (const mode of modes) {
        const options: NormaliserOptions = { officeWarm: mode === 'warm' };
        const timed = await timeCase(options, c.file, workDir, runs, mode === 'warm' ? 5000 : 0);
        const last = timed[timed.length - 1];
        const perDoc = median(timed.map((t) => t.seconds));
        log(`${c.input} ${mode}: ${perDoc.toFixed(2)} s for ${last.pages} page(s)`);
        rows.push({ input: c.input, file: c.file, mode, pages: last.pages, textPages: last.textPages, imagePages: last.imagePages,
          secondsPerPage: perDoc / Math.max(1, last.pages), secondsPerDocument: perDoc });
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return rows;
}

export const inputFormatsSection: BenchSection = {
  id: 'input-formats',
  title: 'Input formats: seconds per page to normalise (no recognition)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const rows = await measureInputFormats(ctx.runs, ctx.log);
    const markdown = [
      table(['input', 'file', 'LibreOffice', 'pages (text layer / to OCR)', 's per page', 's per document'],
        rows.map((r) => [r.input, `\`${r.file}\``, r.mode, `${r.pages} (${r.textPages} / ${r.imagePages})`, r.secondsPerPage.toFixed(3), r.secondsPerDocument.toFixed(2)])),
      '',
      'Medians of the timed runs. Scanned pages are rendered at 300 dpi and encoded as PNG (the mixed-sizes file has a 9000² px page, rendered within the 40 MP page cap). ' +
      'Office "cold" starts LibreOffice per file; "warm" hands the file to a standby instance started ahead (5 s of idle time before each run; the first run of each case, which creates the LibreOffice profile, is not timed).',
    ].join('\n');
    return { data: rows, markdown };
  },
};
