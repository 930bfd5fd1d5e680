/**
 * Cold start, as a user meets it: `docr ocr` on one small image from the command to the
 * written result (median of 5, beside native `tesseract` on the same image), and `docr serve`
 * from the command to its first 200 on /readyz (median of 3). Prepared models are in the
 * cache and the compiled build is current, as after `npm run setup`; the same commands on the
 * TypeScript sources through tsx (DOCR_RUN_SOURCES=1, what every run paid before the build)
 * are timed beside them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '../../src/platform/run-process.js';
import { corpusFile, REPO } from './corpus.js';
import { median, table, type BenchContext, type BenchSection, type SectionResult } from './section.js';

const IMAGE = 'images-en/tessjs_testocr.png';
const DOCR = path.join(REPO, 'bin/docr');

async function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const t0 = performance.now();
  const r = await runProcess(cmd, args, { timeoutMs: 120_000, cwd: REPO, env });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return (performance.now() - t0) / 1000;
}

/** Seconds from spawning `docr serve` to the first 200 from /readyz. */
async function serveReady(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [DOCR, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'warn'], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    for (;;) {
      if (performance.now() - t0 > 60_000) throw new Error(`docr serve did not become ready in 60 s: ${stderr.slice(-500)}`);
      const port = /serving on http:\/\/[^:]+:(\d+)/.exec(stderr)?.[1];
      if (port) {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        if (res?.status === 200) return (performance.now() - t0) / 1000;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export const startupSection: BenchSection = {
  id: 'startup',
  title: 'Cold start',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const image = corpusFile(IMAGE);
    await timed(process.execPath, [path.join(REPO, 'scripts/build.mjs')]); // as setup leaves it
    const sources = { ...process.env, DOCR_RUN_SOURCES: '1' };
    const ocrArgs = [DOCR, 'ocr', image, '-l', 'English', '-f', 'txt', '-q'];
    const ocr: number[] = [], ocrTsx: number[] = [], tess: number[] = [], serve: number[] = [], serveTsx: number[] = [];
    for (let i = 0; i < 5; i++) {
      ocr.push(await timed(process.execPath, ocrArgs));
      tess.push(await timed('tesseract', [image, '-', '-l', 'eng'], { ...process.env, OMP_THREAD_LIMIT: '1' }));
      ocrTsx.push(await timed(process.execPath, ocrArgs, sources));
    }
    for (let i = 0; i < 3; i++) {
      for (const [into, env] of [[serve, process.env], [serveTsx, sources]] as const) {
        const dir = mkdtempSync(path.join(ctx.workDir, 'serve-'));
        try { into.push(await serveReady(dir, env)); } finally { rmSync(dir, { recursive: true, force: true }); }
      }
    }
    ctx.log(`startup: docr ocr ${median(ocr).toFixed(2)} s (sources ${median(ocrTsx).toFixed(2)} s), serve ready ${median(serve).toFixed(2)} s (sources ${median(serveTsx).toFixed(2)} s)`);
    const row = (name: string, xs: number[], target: string) => [name, median(xs).toFixed(2), xs.map((x) => x.toFixed(2)).join(' / '), target];
    return {
      data: { image: IMAGE, docrOcrS: ocr, docrOcrSourcesS: ocrTsx, tesseractS: tess, serveReadyS: serve, serveReadySourcesS: serveTsx },
      markdown: [
        table(['what', 'median s', 'runs s', 'target'], [
          row(`\`docr ocr ${IMAGE} -l English -f txt\` (command to result)`, ocr, '< 1.5 s'),
          row(`\`tesseract ${IMAGE} - -l eng\` (the peer)`, tess, ''),
          row('`docr serve` to the first 200 on /readyz', serve, '< 3 s'),
          row('`docr ocr`, the sources through tsx (`DOCR_RUN_SOURCES=1`)', ocrTsx, ''),
          row('`docr serve`, the sources through tsx', serveTsx, ''),
        ]),
        '',
        'Prepared models come from the model cache and `bin/docr` runs the compiled build (`dist/`), as after `npm run setup`. The sources rows run the same commands through tsx (its compiled-file cache warm), as every run did before the build; runs of the three `docr ocr` rows are interleaved, as are the two `docr serve` rows.',
      ].join('\n'),
    };
  },
};
