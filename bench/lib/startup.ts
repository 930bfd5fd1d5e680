/**
 * Cold start, as a user meets it: `docr ocr` on one small image from the command to the
 * written result (median of 5, beside native `tesseract` on the same image), and `docr serve`
 * from the command to its first 200 on /readyz (median of 3). Prepared models are in the
 * cache (setup builds them), as after `npm run setup`.
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
async function serveReady(dataDir: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [DOCR, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'warn'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
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
    const ocr: number[] = [], tess: number[] = [], serve: number[] = [];
    for (let i = 0; i < 5; i++) {
      ocr.push(await timed(process.execPath, [DOCR, 'ocr', image, '-l', 'English', '-f', 'txt', '-q']));
      tess.push(await timed('tesseract', [image, '-', '-l', 'eng'], { ...process.env, OMP_THREAD_LIMIT: '1' }));
    }
    for (let i = 0; i < 3; i++) {
      const dir = mkdtempSync(path.join(ctx.workDir, 'serve-'));
      try { serve.push(await serveReady(dir)); } finally { rmSync(dir, { recursive: true, force: true }); }
    }
    ctx.log(`startup: docr ocr ${median(ocr).toFixed(2)} s, serve ready ${median(serve).toFixed(2)} s`);
    const row = (name: string, xs: number[], target: string) => [name, median(xs).toFixed(2), xs.map((x) => x.toFixed(2)).join(' / '), target];
    return {
      data: { image: IMAGE, docrOcrS: ocr, tesseractS: tess, serveReadyS: serve },
      markdown: [
        table(['what', 'median s', 'runs s', 'target'], [
          row(`\`docr ocr ${IMAGE} -l English -f txt\` (command to result)`, ocr, '< 1.5 s'),
          row(`\`tesseract ${IMAGE} - -l eng\` (the peer)`, tess, ''),
          row('`docr serve` to the first 200 on /readyz', serve, '< 3 s'),
        ]),
        '',
        'Prepared models come from the model cache (setup builds them); Node starts through tsx, whose compiled-file cache is warm after the first run.',
      ].join('\n'),
    };
  },
};
