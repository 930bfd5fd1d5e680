/**
 * Per-page speed and memory of the PP-OCR engine on dense pages, beside one Tesseract process
 * (psm 3, OMP_THREAD_LIMIT=1) on the same page. Usage:
 *   node --import tsx bench/ppocr-speed.ts [--threads N] [--runs R] [--no-tesseract] IMAGE...
 * Wall and CPU milliseconds are medians over the runs; CPU includes ONNX Runtime's threads.
 * On a shared, loaded machine compare CPU time: wall time follows the neighbours' load.
 */
import { readFile } from 'node:fs/promises';
import { createPpocrEngine } from '../src/engines/ppocr/index.js';
import { runProcess } from '../src/platform/run-process.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args.splice(args.indexOf(name), 2)[1]) : dflt);
const threads = opt('--threads', 2), runs = opt('--runs', 3);
const withTesseract = !args.includes('--no-tesseract');
if (!withTesseract) args.splice(args.indexOf('--no-tesseract'), 1);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

const engine = await createPpocrEngine({ threads });
let peak = 0;
for (const file of args) {
  const data = await readFile(file);
  const wall: number[] = [], cpu: number[] = [];
  let lines = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    const page = await engine.recognize({ data, width: 0, height: 0, dpi: 300, index: 1 }, { languages: ['ChinesePRC', 'English', 'Digits'] });
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0); cpu.push((c.user + c.system) / 1000);
    peak = Math.max(peak, process.memoryUsage().rss);
    lines = page.blocks.reduce((n, b) => n + b.lines.length, 0);
  }
  let peer = '';
  if (withTesseract) {
    const t0 = performance.now();
    await runProcess('tesseract', [file, '-', '--psm', '3', '-l', 'eng'], { timeoutMs: 300_000, env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
    peer = `; tesseract wall ${(performance.now() - t0).toFixed(0)} ms`;
  }
  console.log(`${file}: ${lines} lines, ppocr wall ${median(wall).toFixed(0)} ms cpu ${median(cpu).toFixed(0)} ms (threads ${threads}; cpu runs ${cpu.map((x) => x.toFixed(0)).join(' ')})${peer}`);
}
console.log(`peak rss ${(peak / 2 ** 20).toFixed(0)} MiB`);
await engine.close();
