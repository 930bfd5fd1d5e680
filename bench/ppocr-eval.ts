/**
 * PP-OCR engine accuracy on the corpus images with ground truth, beside native Tesseract
 * (psm 3, one thread, only the file's languages) from the same run. Usage:
 *   node --import tsx bench/ppocr-eval.ts [--default-langs] [--only SUBSTR] [--verbose]
 * Prints per-image CER, per-group means and timing. Tesseract outputs are cached in
 * /tmp/docr-ppocr-bench: delete that folder for a fresh peer run.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cer } from './lib/cer.js';
import { createPpocrEngine } from '../src/engines/ppocr/index.js';
import { runProcess } from '../src/platform/run-process.js';
import { pageLines, type Page } from '../src/domain/ocr-tree.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = path.join(root, 'test/data/corpus');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const verbose = args.includes('--verbose');
const defaultLangs = args.includes('--default-langs');

interface Entry { id: string; path: string; kind: string; languages: string[]; gt_path?: string; gt?: { quality: string } }
const manifest = JSON.parse(await readFile(path.join(corpus, 'manifest.json'), 'utf8')) as { files: Entry[] };
const files = manifest.files.filter((f) => (f.kind === 'images-en' || f.kind === 'images-zh') && f.gt_path && (!only || f.path.includes(only)));

async function tesseract(file: Entry): Promise<string> {
  const cacheDir = '/tmp/docr-ppocr-bench';
  await mkdir(cacheDir, { recursive: true });
  const langs = file.languages.map((l) => (l === 'en' ? 'eng' : 'chi_sim')).join('+');
  const cache = path.join(cacheDir, `${file.id}.${langs}.txt`);
  try { return await readFile(cache, 'utf8'); } catch { /* not cached */ }
  const r = await runProcess('tesseract', [path.join(corpus, file.path), '-', '--psm', '3', '-l', langs], {
    timeoutMs: 120_000, env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const text = r.stdout.toString('utf8');
  await writeFile(cache, text);
  return text;
}

export function pageText(page: Page): string {
  return page.blocks.map((b) => b.lines.map((l) => l.text).join('\n')).join('\n');
}

const engine = await createPpocrEngine({ threads: 2 });
const groups: Record<string, { pp: number[]; ts: number[] }> = {};
let totalMs = 0, peakRss = 0;
for (const f of files) {
  const gt = await readFile(path.join(corpus, f.gt_path!), 'utf8');
  const data = await readFile(path.join(corpus, f.path));
  const languages = f.kind === 'images-zh' || defaultLangs ? ['ChinesePRC', 'English', 'Digits'] : ['English'];
  const t0 = performance.now();
  const page = await engine.recognize({ data, width: 0, height: 0, dpi: 300, index: 1 }, { languages });
  const ms = performance.now() - t0;
  totalMs += ms;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const text = pageText(page);
  const ts = await tesseract(f);
  const a = cer(text, gt), b = cer(ts, gt);
  const g = (groups[f.kind] ??= { pp: [], ts: [] });
  g.pp.push(a); g.ts.push(b);
  console.log(`${f.kind.padEnd(9)} ${f.id.padEnd(28)} pp ${(a * 100).toFixed(1).padStart(5)}  ts ${(b * 100).toFixed(1).padStart(5)}  rot ${page.rotation}  lines ${pageLines(page).length}  ${ms.toFixed(0)} ms`);
  if (verbose) console.log(text.split('\n').map((l) => '    | ' + l).join('\n'));
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
for (const [k, g] of Object.entries(groups)) {
  console.log(`${k}: n=${g.pp.length} ppocr ${(mean(g.pp) * 100).toFixed(1)}%  tesseract ${(mean(g.ts) * 100).toFixed(1)}%  ratio ${(mean(g.pp) / mean(g.ts)).toFixed(2)}`);
}
console.log(`total ${totalMs.toFixed(0)} ms, peak rss ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
await engine.close();
