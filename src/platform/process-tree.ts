/**
 * Facts about and ends of a supervised child process and what it started, from Linux /proc.
 * A helper process (an engine slot) runs external programs in process groups of their own
 * (runProcess), so killing the helper's group alone would orphan them: `killTree` walks the
 * descendants first and kills each one's group.
 */
import { readdirSync, readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;

/** Direct children of `pid` (any of its threads), empty when it is gone. */
function childrenOf(pid: number): number[] {
  let tasks: string[];
  try { tasks = readdirSync(`/proc/${pid}/task`); } catch { return []; }
  return tasks.flatMap((t) => {
    try {
      return readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter((x) => x.trim() !== '').map(Number);
    } catch { return []; }
  });
}

/** Every descendant of `pid`, parents before children. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  const queue = childrenOf(pid);
  while (queue.length > 0) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...childrenOf(p));
  }
  return out;
}

function kill(target: number): void {
  try { process.kill(target, 'SIGKILL'); } catch { /* already gone */ }
}

/** SIGKILL to `pid`'s process group, and to each descendant and its group. */
export function killTree(pid: number): void {
  const below = descendantsOf(pid);
  kill(-pid);
  kill(pid);
  for (const p of below) { kill(-p); kill(p); }
}

/** Resident memory of one process in bytes (0 when it is gone). */
export function residentBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
  } catch { return 0; }
}
