/**
 * forkHost (src/platform/child-host.ts): a host started at a lower priority runs at that nice,
 * and so does its scheduling group where the kernel groups sessions (Linux autogroups): a
 * detached child leads a session, and its nice alone would weigh only against its own group.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { forkHost } from '../../src/platform/child-host.js';

test('a host forked at nice 10 runs at nice 10, and so does its autogroup where there are autogroups', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'docr-host-'));
  const boot = path.join(dir, 'boot.mjs');
  writeFileSync(boot, "process.on('message', (m) => process.send(m));\n");
  const host = forkHost<string, string>(pathToFileURL(boot), { nice: 10 });
  try {
    const echoed = new Promise<string>((r) => host.onMessage(r));
    host.send('ping');
    assert.equal(await echoed, 'ping');
    const pid = host.pid!;
    assert.equal(getPriority(pid), 10);
    const group = `/proc/${pid}/autogroup`;
    if (existsSync(group)) {
      assert.match(readFileSync(group, 'utf8'), /nice 10\b/);
      assert.notEqual(readFileSync(group, 'utf8').split(' ')[0], readFileSync('/proc/self/autogroup', 'utf8').split(' ')[0], 'a group of its own');
    }
  } finally {
    await host.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
