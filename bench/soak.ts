/**
 * Soak (issue 13; not in CI): a real `docr serve` under mixed traffic for a while (10 minutes
 * by default): OCR creates from a few clients, each polling its task and downloading the
 * result, sync=1 creates, event streams, and a steady drizzle of bad requests (unknown task,
 * bad fields, no key). Samples the server's resident memory every 10 s and reports it at the
 * start (after a minute, engines warm) and the end, with the answers by status and any 5xx.
 *
 *   heavy node --import tsx bench/soak.ts [--minutes 10] [--clients 4] [--workers N]
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusPath } from '../test/fixtures/corpus.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCR = path.join(ROOT, 'bin/docr');
const TASKS = '/api/tasks/document/ocr';
const args = process.argv.slice(2);
const flag = (name: string, def: number) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : def; };
const MINUTES = flag('minutes', 10);
const CLIENTS = flag('clients', 4);
const WORKERS = flag('workers', os.availableParallelism());
const PAGES = ['images-en/ocrmypdf_linn.png', 'images-en/cnocr_multi-line_en_black.png', 'images-en/paddle_word_10.png'].map((p) => fs.readFileSync(corpusPath(p)));

/** Resident memory of a process and its children (engine processes, LibreOffice), in MiB; of the process alone with `tree` false. */
function rssMiB(pid: number, tree = true): number {
  const pids = [pid];
  for (let i = 0; tree && i < pids.length; i++) {
    try {
      const kids = fs.readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim();
      if (kids) pids.push(...kids.split(/\s+/).map(Number));
    } catch { /* gone */ }
  }
  let kb = 0;
  for (const p of pids) {
    try { kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0); } catch { /* gone */ }
  }
  return Math.round(kb / 1024);
}

const statuses = new Map<number, number>();
const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);

async function call(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  count(res.status);
  return res;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-soak-'));
  const out = fs.openSync(path.join(dataDir, 'docr.log'), 'w');
  const child = spawn(process.execPath, [DOCR, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--workers', String(WORKERS), '--query-qps', '100000'],
    { env: { ...process.env, DOCR_LOG_LEVEL: 'info', OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', out, 'pipe'] });
  let err = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => { err += d; const m = /docr is serving on (http:\/\/\S+)/.exec(err); if (m) resolve(m[1]); });
    child.once('exit', (code) => reject(new Error(`docr exited (${code}):\n${err}`)));
  });
  const key = (JSON.parse(execFileSync(process.execPath, [DOCR, 'keys', 'create', '--json', '--credits', '10000000', '--qps', '1000', '--data-dir', dataDir]).toString()) as { key: string }).key;
  const headers = { 'X-API-KEY': key };
  const until = Date.now() + MINUTES * 60_000;
  const samples: { t: number; rss: number; server: number }[] = [];
  const t0 = Date.now();
  const sample = () => samples.push({ t: Math.round((Date.now() - t0) / 1000), rss: rssMiB(child.pid!), server: rssMiB(child.pid!, false) });
  sample();
  const sampler = setInterval(sample, 10_000);
  let tasks = 0;

  const ocrClient = async (n: number) => {
    for (let i = 0; Date.now() < until; i++) {
      const form = new FormData();
      form.set('image_file', new Blob([PAGES[(n + i) % PAGES.length]]), 'page.png');
      form.set('language', 'English');
      if (i % 5 === 0) form.set('sync', '1');
      const created = await (await call(`${base}${TASKS}`, { method: 'POST', headers, body: form })).json() as { data: { task_id?: string; state?: number; file?: string } };
      const id = created.data.task_id;
      if (!id) { await new Promise((r) => setTimeout(r, 1000)); continue; }
      tasks++;
      let file = created.data.file;
      if (i % 3 === 1) { // follow the event stream to the end
        const res = await call(`${base}${TASKS}/${id}/events`, { headers });
        const text = await res.text();
        file = /"file":"([^"]+)"/.exec(text)?.[1];
      }
      while (!file && Date.now() < until) {
        const q = await (await call(`${base}${TASKS}/${id}`, { headers })).json() as { data: { state: number; file?: string } };
        if (q.data.state === 1) file = q.data.file;
        else if (q.data.state < 0) break;
        else await new Promise((r) => setTimeout(r, 500));
      }
      if (file) await (await call(file)).arrayBuffer();
    }
  };
  const badClient = async () => {
    while (Date.now() < until) {
      await (await call(`${base}${TASKS}/00000000-0000-4000-8000-000000000000`, { headers })).arrayBuffer();
      await (await call(`${base}${TASKS}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"image_url":"ftp://x/y"}' })).arrayBuffer();
      await (await call(`${base}${TASKS}/x`)).arrayBuffer();
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await Promise.all([...Array.from({ length: CLIENTS }, (_, n) => ocrClient(n)), badClient()]);
  clearInterval(sampler);
  sample();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
  const startSample = samples.find((x) => x.t >= 60) ?? samples.at(-1)!;
  const fiveXX = [...statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
  const result = {
    cpu: os.cpus()[0]?.model, minutes: MINUTES, clients: CLIENTS, workers: WORKERS, tasks,
    answers: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)), fiveXX,
    // "start" is the first sample after a minute of traffic: engines loaded and warm, so that start → end shows growth, not warm-up.
    rssMiB: { boot: samples[0].rss, start: startSample.rss, end: samples.at(-1)!.rss, peak: Math.max(...samples.map((x) => x.rss)) },
    serverRssMiB: { start: startSample.server, end: samples.at(-1)!.server, peak: Math.max(...samples.map((x) => x.server)) },
    loadAverage: os.loadavg()[0], samples,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`soak: ${MINUTES} min, ${tasks} tasks, 5xx ${fiveXX}, RSS ${result.rssMiB.start} MiB after the first minute → ${result.rssMiB.end} MiB at the end (peak ${result.rssMiB.peak}, at boot ${result.rssMiB.boot}); the server process alone ${result.serverRssMiB.start} → ${result.serverRssMiB.end} MiB; ${result.cpu}, load average ${result.loadAverage.toFixed(1)}`);
}

await main();
