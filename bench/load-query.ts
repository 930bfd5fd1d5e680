/**
 * The query path under load (issue 13): a real `docr serve` (info-level logs to a file, as a
 * deployment writes them), one finished task polled by autocannon over N connections with a
 * key whose query limit is out of the way; with --ocr, OCR tasks are kept in flight the whole
 * time so that the engines saturate every core. Reports queries/s, latency percentiles,
 * non-2xx answers and CPU busy share; /healthz beside it as the framework's floor.
 *
 *   heavy node --import tsx bench/load-query.ts [--ocr] [--seconds 15] [--connections 32] [--workers N] [--root DIR]
 *
 * --root DIR runs another checkout's bin/docr (built with `npm run setup`), for A/B rounds
 * against a baseline in the same sitting.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { corpusPath } from '../test/fixtures/corpus.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const DOCR = path.join(args.includes('--root') ? path.resolve(args[args.indexOf('--root') + 1]) : ROOT, 'bin/docr');
const TASKS = '/api/tasks/document/ocr';

const flag = (name: string, def: number) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : def; };
const OCR = args.includes('--ocr');
const SECONDS = flag('seconds', 15);
const CONNECTIONS = flag('connections', 32);
const WORKERS = flag('workers', os.availableParallelism());
const OCR_PAGE = corpusPath('images-en/ocrmypdf_linn.png');
/** --profile DIR: the server writes a V8 CPU profile there (node --cpu-prof) when it stops. */
const PROFILE_DIR = args.includes('--profile') ? path.resolve(args[args.indexOf('--profile') + 1]) : undefined;

export interface LoadResult {
  qps: number; p50: number; p99: number; p999: number; max: number; non2xx: number; errors: number; cpuBusy: number;
  /** The server process's CPU time (all its threads) per answered request, in microseconds. */
  serverCpuUsPerRequest: number;
}

/** User + system CPU seconds of a process, all threads (Linux /proc). */
function processCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** Share of all cores' time spent busy between two /proc/stat readings. */
function cpuTimes(): { busy: number; total: number } {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

async function startServer(dataDir: string): Promise<{ base: string; pid: number; stop: () => Promise<void>; logFile: string }> {
  const logFile = path.join(dataDir, 'docr.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), DOCR, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--workers', String(WORKERS),
    '--query-qps', '1000000', '--allow-private-urls'], { env: { ...process.env, DOCR_LOG_LEVEL: 'info', OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', out, 'pipe'] });
  let err = '';
  let stopping = false;
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`docr did not start:\n${err}`)), 120_000);
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /docr is serving on (http:\/\/\S+)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code, signal) => reject(new Error(`docr exited (${code ?? signal}):\n${err}`)));
  });
  // A server that goes away mid-run says why (its stderr), instead of a bare ECONNREFUSED.
  child.once('exit', (code, signal) => { if (!stopping) console.error(`docr exited during the run (${code ?? signal}):\n${err.slice(-4000)}`); });
  return {
    base, logFile, pid: child.pid!,
    stop: () => new Promise((resolve) => { stopping = true; if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; } child.once('exit', () => resolve()); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 20_000).unref(); }),
  };
}

async function createTask(base: string, key: string, sync: boolean): Promise<string> {
  const form = new FormData();
  form.set('image_file', new Blob([fs.readFileSync(OCR_PAGE)]), 'page.png');
  form.set('language', 'English');
  if (sync) form.set('sync', '1');
  const res = await fetch(`${base}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: form });
  const body = await res.json() as { status: number; message: string; data: { task_id: string; state?: number } };
  if (body.status !== 200) throw new Error(`create: ${body.status} ${body.message}`);
  return body.data.task_id;
}

/** Keeps `inFlight` OCR tasks running until `signal` aborts; counts the pages done. */
async function keepOcrBusy(base: string, key: string, inFlight: number, signal: AbortSignal): Promise<number> {
  let done = 0;
  const lane = async () => {
    while (!signal.aborted) {
      const id = await createTask(base, key, false);
      for (;;) {
        if (signal.aborted) return;
        await new Promise((r) => setTimeout(r, 250));
        const q = await (await fetch(`${base}${TASKS}/${id}`, { headers: { 'X-API-KEY': key } })).json() as { data: { state: number } };
        if (q.data.state === 1 || q.data.state < 0) { done++; break; }
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return done;
}

async function hammer(url: string, key: string, pid: number): Promise<LoadResult> {
  const before = cpuTimes();
  const cpu0 = processCpuSeconds(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { 'X-API-KEY': key } });
  const cpu1 = processCpuSeconds(pid);
  const after = cpuTimes();
  return {
    serverCpuUsPerRequest: Math.round(((cpu1 - cpu0) * 1e6) / Math.max(1, r.requests.total)),
    qps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, p999: r.latency.p99_9, max: r.latency.max,
    non2xx: r.non2xx, errors: r.errors + r.timeouts, cpuBusy: (after.busy - before.busy) / (after.total - before.total),
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-load-'));
  const server = await startServer(dataDir);
  try {
    const key = (JSON.parse(execFileSync(process.execPath, [DOCR, 'keys', 'create', '--json', '--credits', '1000000', '--qps', '1000', '--data-dir', dataDir]).toString()) as { key: string }).key;
    const id = await createTask(server.base, key, true);
    const stopOcr = new AbortController();
    const ocr = OCR ? keepOcrBusy(server.base, key, WORKERS * 2, stopOcr.signal) : Promise.resolve(0);
    if (OCR) await new Promise((r) => setTimeout(r, 8000)); // engines warm and busy before measuring
    const query = await hammer(`${server.base}${TASKS}/${id}`, key, server.pid);
    const health = await hammer(`${server.base}/healthz`, key, server.pid);
    stopOcr.abort();
    const pages = await ocr;
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const logLines = fs.readFileSync(server.logFile, 'utf8').split('\n').length;
    console.log(JSON.stringify({ cpu, cores: os.availableParallelism(), workers: WORKERS, ocr: OCR, ocrPagesDone: pages, seconds: SECONDS, connections: CONNECTIONS, query, healthz: health, logLines }, null, 2));
    console.log(`query: ${query.qps} q/s, p50 ${query.p50} ms, p99 ${query.p99} ms, non-2xx ${query.non2xx}, errors ${query.errors}, CPU busy ${(query.cpuBusy * 100).toFixed(0)} %${OCR ? ` (OCR running: ${pages} pages read)` : `, server CPU ${query.serverCpuUsPerRequest} µs/query`}; /healthz ${health.qps} q/s${OCR ? '' : ` (${health.serverCpuUsPerRequest} µs)`}; ${cpu}; load average ${os.loadavg()[0].toFixed(1)}`);
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
