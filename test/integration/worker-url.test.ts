/** image_url tasks through the worker with the real outbound guard against a local server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGuardedFetcher } from '../../src/platform/outbound-guard/index.js';
import { createLocalJobQueue } from '../../src/adapters/job-queue-local/index.js';
import { startWorker } from '../../src/worker/index.js';
import type { Notifier } from '../../src/ports/notifier.js';
import { createEnv } from '../unit/pipeline-fakes.js';

const noCallbacks: Notifier = { deliver: async () => ({ attempts: 0, delivered: false }) };

test('image_url: downloaded when allow-listed, -3 when the address is private, -5 over the cap', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/big') { res.end(Buffer.alloc(4096)); return; }
    res.end('image bytes');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const env = await createEnv();
  const ports = [port];
  const results: Array<[string, number, string | undefined]> = [];
  for (const [name, allow, path, state] of [
    ['allowed', ['127.0.0.0/8'], '/a.png', 1], ['private', undefined, '/a.png', -3], ['too large', ['127.0.0.0/8'], '/big', -5],
  ] as const) {
    const queue = createLocalJobQueue();
    const w = startWorker({
      ...env.deps(), queue, notifier: noCallbacks, fetcher: createGuardedFetcher({ allow: allow ? [...allow] : undefined, ports }),
      options: { concurrency: 1, processingTimeoutMs: 10_000, leaseMs: 5000, maxAttempts: 3, workDir: env.limits().workRoot, urlMaxBytes: 1024, pollMs: 50 },
    });
    await w.ready;
    const task = await env.addTask({ source: { kind: 'url', url: `http://127.0.0.1:${port}${path}` } });
    await queue.enqueue(task.id);
    const end = Date.now() + 10_000;
    let t = await env.store.get(task.id);
    while (t && t.state !== 1 && t.state >= 0) {
      assert.ok(Date.now() < end, `${name}: task did not end`);
      await new Promise((r) => setTimeout(r, 20));
      t = await env.store.get(task.id);
    }
    results.push([name, t?.state ?? 0, t?.errorMessage]);
    assert.equal(t?.state, state, `${name}: ${t?.errorMessage}`);
    if (state === 1) assert.equal(t?.inputSize, 'image bytes'.length);
    await w.stop(1000);
  }
  assert.match(results[1][2] ?? '', /not a public address/);
  assert.match(results[2][2] ?? '', /larger than/);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await env.close();
});
