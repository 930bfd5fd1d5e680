/**
 * One LibreOffice user profile and the processes that use it. A profile is never shared by two
 * instances at once (concurrent conversions on one profile silently lose files), so a slot
 * converts one document at a time.
 *
 * Warm standby: `soffice --convert-to` started while an instance already runs on the same
 * profile hands its job to that instance over LibreOffice's own IPC pipe and waits for it;
 * the instance then exits. So the slot keeps one instance started ahead of the next job
 * (measured here: ~0.1–0.6 s per small file against 1.5–2 s cold) and starts a fresh one after
 * each job. Readiness is the instance's UNO pipe appearing in /tmp. If no standby is ready in
 * time the slot kills it and converts cold, alone on the profile.
 */
import { randomUUID } from 'node:crypto';
import { access, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProcess, type RunResult } from '../../platform/run-process.js';

/**
 * The standby runs under a shell watchdog: its process group is killed when the standby exits
 * or when this Node process is gone (crashed, SIGKILLed, a test runner timing out) - a detached
 * LibreOffice would otherwise outlive us forever; in the second case the watchdog also removes
 * the profile. `$0` is soffice, `$@` its arguments, $DOCR_LO_PROFILE the profile dir.
 */
const WATCHDOG = [
  'parent=$PPID; "$0" "$@" & child=$!',
  'while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.5; done',
  'if ! kill -0 "$parent" 2>/dev/null; then',
  '  for p in $(pgrep -g $$); do [ "$p" != $$ ] && kill -KILL "$p" 2>/dev/null; done',
  '  sleep 0.2; rm -rf "$DOCR_LO_PROFILE"',
  'fi',
  'kill -KILL 0',
].join('\n');

/** A standby that nobody uses is recycled after this long (it holds ~150 MB). */
const STANDBY_MAX_LIFE_MS = 30 * 60_000;
const STANDBY_READY_WAIT_MS = 20_000;

interface Standby {
  pipeName: string;
  abort: AbortController;
  exited: Promise<RunResult | undefined>;
  done: boolean;
}

export interface SlotOptions {
  sofficePath: string;
  timeoutMs: number;
  warm: boolean;
}

export class SofficeSlot {
  readonly profileDir = path.join(os.tmpdir(), `docr-lo-profile-${randomUUID()}`);
  private standby: Standby | undefined;
  private closed = false;

  constructor(private readonly opts: SlotOptions) {}

  private get profileArg(): string {
    return `-env:UserInstallation=${pathToFileURL(this.profileDir).href}`;
  }

  /** Starts a standby instance if warm mode is on and none runs. Never throws. */
  warmUp(): void {
    if (!this.opts.warm || this.closed || (this.standby && !this.standby.done)) return;
    const pipeName = `docr-${randomUUID().slice(0, 8)}`;
    const abort = new AbortController();
    const sb: Standby = { pipeName, abort, done: false, exited: Promise.resolve(undefined) };
    sb.exited = mkdir(this.profileDir, { recursive: true })
      .then(() => runProcess('sh', ['-c', WATCHDOG, this.opts.sofficePath,
        '--headless', '--invisible', '--norestore', '--nologo', '--nodefault', '--nolockcheck',
        `--accept=pipe,name=${pipeName};urp;`, this.profileArg,
      ], { timeoutMs: STANDBY_MAX_LIFE_MS, signal: abort.signal, env: { ...process.env, DOCR_LO_PROFILE: this.profileDir } }))
      .catch(() => undefined)
      .finally(() => { sb.done = true; });
    this.standby = sb;
  }

  private async standbyReady(sb: Standby): Promise<boolean> {
    const pipe = path.join('/tmp', `OSL_PIPE_${process.getuid?.() ?? 0}_${sb.pipeName}`);
    const deadline = Date.now() + STANDBY_READY_WAIT_MS;
    while (!sb.done && Date.now() < deadline) {
      try { await access(pipe); return true; } catch { await new Promise((r) => setTimeout(r, 50)); }
    }
    return false;
  }

  private async stopStandby(): Promise<void> {
    const sb = this.standby;
    this.standby = undefined;
    if (!sb) return;
    sb.abort.abort();
    await sb.exited;
  }

  /** Converts `input` into `outDir`; resolves with the process outcome (the caller checks the output file). */
  async convert(input: string, outDir: string, signal?: AbortSignal): Promise<RunResult> {
    await mkdir(this.profileDir, { recursive: true });
    const sb = this.standby;
    if (sb && !(await this.standbyReady(sb))) await this.stopStandby();
    const args = ['--headless', '--invisible', '--norestore', '--nologo', '--nolockcheck', this.profileArg,
      '--convert-to', 'pdf', '--outdir', outDir, input];
    try {
      const result = await runProcess(this.opts.sofficePath, args, { timeoutMs: this.opts.timeoutMs, signal });
      // A forwarded job runs inside the standby: a timeout or abort must stop that one too.
      if (result.timedOut || result.aborted || result.code !== 0) await this.stopStandby();
      return result;
    } finally {
      // The standby normally exits after a forwarded job; one that stays up is still warm and is kept.
      const cur = this.standby;
      if (cur) {
        await Promise.race([cur.exited, new Promise((r) => setTimeout(r, 2000))]);
        if (cur.done) this.standby = undefined;
      }
      this.warmUp();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopStandby();
    await rm(this.profileDir, { recursive: true, force: true });
  }
}
