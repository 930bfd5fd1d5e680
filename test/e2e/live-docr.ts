/**
 * A live docr for end-to-end tests: `docr serve` as a child process on a free port with
 * its own data dir, keys made with `docr keys create --json`, stopped with SIGTERM (or
 * killed with SIGKILL to test recovery).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
import { CORPUS, SEEDS } from '../fixtures/corpus.js';
export { CORPUS, SEEDS };
const DOCR = path.join(ROOT, 'bin/docr');

export interface LiveDocr {
  base: string;
  dataDir: string;
  child: ChildProcess;
  log: () => string;
  /** A key with `credits` and `qps` creates per second (generous by default: e2e runs are not about throttling). */
  makeKey(credits?: number, qps?: number): Promise<{ key: string; webhook_secret: string }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startDocr(flags: string[] = [], dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-e2e-')), env: NodeJS.ProcessEnv = {}): Promise<LiveDocr> {
  const child = spawn(process.execPath, [DOCR, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--workers', '1', ...flags], {
    env: { ...process.env, DOCR_LOG_LEVEL: 'warn', OMP_THREAD_LIMIT: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never leave a docr behind, even when a test fails before stopping it.
  const reap = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`docr did not start:\n${output}`)), 60_000);
    const check = () => {
      const m = /docr is serving on (http:\/\/[^\s]+)/.exec(output);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stderr!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`docr exited (${code}) before serving:\n${output}`)); });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    base, dataDir, child, log: () => output,
    async makeKey(credits = 100, qps = 100) {
      const { stdout } = await promisify(execFile)(process.execPath, [DOCR, 'keys', 'create', '--json', '--credits', String(credits), '--qps', String(qps), '--data-dir', dataDir]);
      return JSON.parse(stdout.trim()) as { key: string; webhook_secret: string };
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Cuts one sample out of a seed file: from `start` (unique) through the first `end` after it. */
export function seedSample(file: string, start: string, end: string): string {
  const text = fs.readFileSync(path.join(SEEDS, file), 'utf8');
  const i = text.indexOf(start);
  if (i < 0 || text.indexOf(start, i + 1) >= 0) throw new Error(`sample start not found once in ${file}: ${start.slice(0, 60)}`);
  const j = text.indexOf(end, i);
  if (j < 0) throw new Error(`sample end not found in ${file}`);
  return text.slice(i, j + end.length);
}

/** Replaces every occurrence of each key by its value (the only edits samples get: URL, key, file). */
export function substitute(sample: string, edits: Record<string, string>): string {
  let out = sample;
  for (const [from, to] of Object.entries(edits)) {
    if (!out.includes(from)) throw new Error(`the sample has no "${from}" to replace`);
    out = out.split(from).join(to);
  }
  return out;
}

export async function getJson(url: string, key: string): Promise<any> {
  const res = await fetch(url, { headers: { 'X-API-KEY': key } });
  return res.json();
}
