/**
 * The local role (`docr ocr`): its engine process starts before the first file is given (at
 * start, for the languages named), at the caller's own priority: the server's engines run at
 * nice 10 to leave the CPU to its HTTP event loop, which a one-shot command does not have.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { startLocal } from '../../src/composition/roles/local.js';

/** Engine host processes whose parent is this process. */
function engineChildren(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('engines/pool/process-')) pids.push(Number(name));
    } catch { /* gone meanwhile */ }
  }
  return pids;
}

test('docr ocr starts one engine process at once, at the caller\'s priority', async () => {
  const local = await startLocal({ warm: ['English'] });
  try {
    let pids: number[] = [];
    for (const until = Date.now() + 30_000; pids.length === 0 && Date.now() < until;) {
      pids = engineChildren();
      if (pids.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(pids.length, 1, 'one engine for the named languages, before any file');
    assert.equal(getPriority(pids[0]), getPriority());
  } finally {
    await local.close();
  }
});
