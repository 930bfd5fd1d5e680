/**
 * `npm run bench`: runs the benchmark sections in order and writes bench/results.json and
 * bench/results.md. Options: --only=<section ids, comma-separated: accuracy, auto, throughput, memory,
 * input-formats, render-formats, pdf, startup, scaled>  --runs=N (timed repetitions, default 3).
 * Sections are modules (bench/lib/*.ts, see section.ts): add rows by adding a section here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { accuracySection } from './lib/accuracy.js';
import { autoLanguagesSection } from './lib/auto-languages.js';
import { memorySection } from './lib/memory.js';
import { throughputSection } from './lib/throughput.js';
import { inputFormatsSection } from './lib/input-formats.js';
import { renderFormatsSection } from './lib/render-formats.js';
import { searchablePdfSection } from './lib/searchable-pdf.js';
import { startupSection } from './lib/startup.js';
import { scaledSection } from './lib/scaled.js';
import { cpuLabel, machineInfo } from './lib/machine.js';
import { REPO } from './lib/corpus.js';
import type { BenchContext, BenchSection, SectionResult } from './lib/section.js';

const SECTIONS: BenchSection[] = [accuracySection, autoLanguagesSection, throughputSection, memorySection, inputFormatsSection, renderFormatsSection, searchablePdfSection, startupSection, scaledSection];

const { values } = parseArgs({ options: { only: { type: 'string' }, runs: { type: 'string', default: '3' } } });
const only = values.only?.split(',');
const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown section ${unknown.join(', ')}; sections are ${SECTIONS.map((s) => s.id).join(', ')}\n`);
  process.exit(2);
}
const workDir = mkdtempSync(path.join(tmpdir(), 'docr-bench-'));
const started = Date.now();
// Other work on the machine skews timings: the load average is recorded beside them.
const loadAtStart = loadavg()[0];
const ctx: BenchContext = {
  cores: availableParallelism(),
  runs: Math.max(1, Number(values.runs)),
  workDir,
  log: (m) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${m}\n`),
  earlier: {},
};

const results: Record<string, SectionResult> = {};
try {
  for (const s of SECTIONS) {
    if (only && !only.includes(s.id)) continue;
    ctx.log(`${s.id}…`);
    results[s.id] = await s.run(ctx);
    ctx.earlier[s.id] = results[s.id];
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

const info = machineInfo();
const machine = { cores: ctx.cores, cpu: info.cpu, vectorExtensions: info.vectorExtensions, node: process.version, date: new Date().toISOString(), durationS: Math.round((Date.now() - started) / 1000), loadAverage: { start: loadAtStart, end: loadavg()[0] } };
const outJson = path.join(REPO, 'bench/results.json');
const outMd = path.join(REPO, 'bench/results.md');
writeFileSync(outJson, `${JSON.stringify({ machine, sections: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.data])) }, null, 2)}\n`);
writeFileSync(outMd, [
  '# docr benchmark',
  '',
  `Run ${machine.date} on ${machine.cores} cores, ${cpuLabel(info)}, Node ${machine.node}, ${machine.durationS} s, 1-minute load average ${machine.loadAverage.start.toFixed(1)} at start and ${machine.loadAverage.end.toFixed(1)} at end${Math.max(machine.loadAverage.start, machine.loadAverage.end) > machine.cores ? ' (above the core count: other work shared the machine and timings are pessimistic)' : ''}. Produced by \`npm run bench\`; figures per ../shared/MEASURING.md.`,
  ...SECTIONS.filter((s) => results[s.id]).flatMap((s) => ['', `## ${s.title}`, '', results[s.id].markdown]),
  '',
].join('\n'));
ctx.log(`wrote ${path.relative(REPO, outJson)} and ${path.relative(REPO, outMd)}`);
