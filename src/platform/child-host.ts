/**
 * A supervised helper process that speaks messages (structured clone over IPC): forked in a
 * process group of its own, optionally at a lower CPU priority, ended with everything it
 * started (`killTree`), and never outliving the server (it is killed when the server exits,
 * and leaves by itself when its IPC channel closes). Engine slots and MuPDF hosts run in it.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { killTree, residentBytes } from './process-tree.js';

export interface ChildHost<In, Out> {
  /** The process id (undefined if it could not be started). */
  readonly pid: number | undefined;
  send(m: In): void;
  onMessage(fn: (m: Out) => void): void;
  /** Called once when the process is gone (exit, crash, kill), saying how. */
  onGone(fn: (how: string) => void): void;
  /** Ends the process at once, with whatever it started. */
  kill(): Promise<void>;
  /** Resident bytes of the process (0 once gone). */
  residentBytes(): number;
  /** An idle host does not keep the server's event loop alive. */
  setIdle(idle: boolean): void;
}

export interface ChildHostOptions {
  /** Extra environment for the child (its configuration). */
  env?: Record<string, string>;
  /** Scheduling niceness (0..19); the programs it runs inherit it. */
  nice?: number;
}

/** Hosts alive now, killed with their trees if the server exits without closing them. */
const live = new Set<number>();
let reaping = false;

function track(pid: number | undefined, exited: Promise<void>): void {
  if (pid === undefined) return;
  live.add(pid);
  void exited.then(() => live.delete(pid));
  if (reaping) return;
  reaping = true;
  process.once('exit', () => { for (const p of live) killTree(p); });
}

/**
 * Lowers a child's CPU priority. A detached child leads a session of its own, and where the
 * kernel groups sessions for scheduling (Linux autogroups, on by default in most distributions'
 * kernels) a process's nice counts only against the processes of its own group, while groups
 * share the CPU evenly: an engine at nice 10 in a group of its own took as much CPU as the
 * whole server. So the group's nice is set too (/proc/PID/autogroup); the group holds the
 * child and what it starts (Tesseract, LibreOffice), and nothing of the server's.
 */
function lowerPriority(pid: number, nice: number): void {
  try { setPriority(pid, nice); } catch { /* not permitted: runs at the server's priority */ }
  try { writeFileSync(`/proc/${pid}/autogroup`, String(nice)); } catch { /* no autogroups here (another OS, or a kernel without them) */ }
}

/** `boot`: an .mjs entry that needs no loader (it registers tsx itself when it imports TypeScript). */
export function forkHost<In, Out>(boot: URL, opts: ChildHostOptions = {}): ChildHost<In, Out> {
  // No execArgv: the server's may carry flags meant for it alone (--test, --inspect).
  const child = fork(boot, [], {
    execArgv: [], serialization: 'advanced', detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...opts.env },
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  track(child.pid, exited);
  if (child.pid && opts.nice) lowerPriority(child.pid, opts.nice);
  return {
    pid: child.pid,
    send: (m) => { if (child.connected) child.send(m as object); },
    onMessage: (fn) => { child.on('message', (m) => fn(m as Out)); },
    onGone: (fn) => {
      let told = false;
      const tell = (how: string) => { if (!told) { told = true; fn(how); } };
      child.once('error', (e) => tell(`could not run (${e.message})`));
      child.once('exit', (code, signal) => tell(signal ? `was killed by ${signal}` : `exited with code ${code}`));
    },
    kill: async () => {
      if (child.pid && child.exitCode === null && child.signalCode === null) killTree(child.pid);
      await exited;
    },
    residentBytes: () => (child.pid ? residentBytes(child.pid) : 0),
    setIdle: (idle) => {
      const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
      if (idle) { child.unref(); channel?.unref?.(); } else { child.ref(); channel?.ref?.(); }
    },
  };
}
