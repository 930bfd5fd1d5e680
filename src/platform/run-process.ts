/**
 * Supervised child processes: every external program docr runs goes through here, in its
 * own process group (so a kill reaches its children), with a timeout, an AbortSignal and a
 * cap on captured output. Never use child_process directly elsewhere.
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  /** Kill the whole process group after this many milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, then stdin is closed. */
  input?: Buffer | string;
  /** Cap on captured stdout/stderr bytes each (default 64 MiB / 1 MiB). */
  maxStdout?: number;
  maxStderr?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
}

export class ProcessError extends Error {
  constructor(message: string, readonly result: RunResult) {
    super(message);
    this.name = 'ProcessError';
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
}

/** Runs `cmd args`, resolving with its outcome whatever the exit code (check `code`). */
export function runProcess(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      resolve({ code: null, signal: null, stdout: Buffer.alloc(0), stderr: '', timedOut: false, aborted: true });
      return;
    }
    const child = spawn(cmd, args, {
      cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'],
    });
    const maxOut = opts.maxStdout ?? 64 * 1024 * 1024;
    const maxErr = opts.maxStderr ?? 1024 * 1024;
    const out: Buffer[] = [];
    let outLen = 0;
    let err = '';
    let timedOut = false, aborted = false;
    child.stdout.on('data', (d: Buffer) => {
      if (outLen + d.length > maxOut) { killGroup(child.pid); return; }
      out.push(d); outLen += d.length;
    });
    child.stderr.on('data', (d: Buffer) => { if (err.length < maxErr) err += d.toString('utf8'); });
    const timer = setTimeout(() => { timedOut = true; killGroup(child.pid); }, opts.timeoutMs);
    const onAbort = () => { aborted = true; killGroup(child.pid); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal: sig, stdout: Buffer.concat(out), stderr: err, timedOut, aborted });
    });
    child.stdin.on('error', () => { /* the program may exit before reading its input */ });
    if (opts.input !== undefined) child.stdin.end(opts.input); else child.stdin.end();
  });
}
