/**
 * The TypeScript SDK (sdk/) against a live docr: the three call types (polling or the event
 * stream, sync, callback), every kind of input and option, 429 back-off per Retry-After, an
 * expired result URL, webhook verification, and every typed error.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cer } from '../../bench/lib/cer.js';
import {
  AuthenticationError, BadRequestError, ConnectionError, DocrClient, InsufficientCreditsError, PayloadTooLargeError,
  RateLimitError, ResultExpiredError, ServerError, TaskFailedError, TaskNotFoundError, WaitTimeoutError,
  WebhookVerificationError, verifyWebhook, type Task,
} from '../../sdk/src/node.js';
import { CORPUS, ROOT, startDocr, type LiveDocr } from './live-docr.js';
import { serveImageOnPort80, startCallbackReceiver } from './samples/peers.js';

const run = promisify(execFile);
const IMAGE = path.join(CORPUS, 'images-en/ocropy_0079-01000d.png');
const TRUTH = fs.readFileSync(path.join(CORPUS, 'images-en/ocropy_0079-01000d.gt.txt'), 'utf8');
const LOCKED_PDF = path.join(CORPUS, 'pdf/pypdf_r2-user-password.pdf');
const BIG_PDF = path.join(CORPUS, 'pdf/ocrmypdf_multipage.pdf');

/** A fetch that records what the client asked and what it got. */
function recordingFetch() {
  const log: { method: string; url: string; status: number; at: number; retryAfter: string | null }[] = [];
  const fn: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    log.push({ method: init?.method ?? 'GET', url: String(input), status: res.status, at: Date.now(), retryAfter: res.headers.get('retry-after') });
    return res;
  };
  return { fn, log };
}

async function expectText(client: DocrClient, task: Task) {
  const text = await (await client.download(task)).text();
  assert.ok(cer(text, TRUTH) < 0.1, `CER too high for: ${text}`);
}

describe('the SDK against a live docr', { timeout: 300_000 }, () => {
  let docr: LiveDocr;
  let client: DocrClient;
  let secret: string;
  let key: string;
  before(async () => {
    docr = await startDocr(['--allow-private-urls', '--max-upload-bytes', '500000', '--url-max-bytes', '500000']);
    ({ key, webhook_secret: secret } = await docr.makeKey(100));
    client = new DocrClient({ baseUrl: docr.base, apiKey: key });
  });
  after(async () => {
    const code = await docr.stop('SIGTERM');
    fs.rmSync(docr.dataDir, { recursive: true, force: true });
    assert.equal(code, 0, docr.log());
  });

  it('polling: a path in, progress reported, the text out', async () => {
    const { task_id } = await client.createTask({ file: IMAGE, languages: ['English'] });
    const seen: Task[] = [];
    const recorder = recordingFetch();
    const polling = new DocrClient({ baseUrl: docr.base, apiKey: key, fetch: recorder.fn });
    const done = await polling.waitForResult(task_id, { events: false, onProgress: (t) => seen.push(t) });
    assert.equal(done.state, 1);
    assert.equal(seen.at(-1)?.progress, 100);
    assert.ok(recorder.log.every((r) => !r.url.endsWith('/events')), 'events: false polls');
    await expectText(client, done);
  });

  it('the event stream: waitForResult follows it instead of polling', async () => {
    const recorder = recordingFetch();
    const streaming = new DocrClient({ baseUrl: docr.base, apiKey: key, fetch: recorder.fn });
    const { task_id } = await streaming.createTask({ file: fs.readFileSync(IMAGE), fileName: 'scan.png', languages: 'English' });
    const states: number[] = [];
    const done = await streaming.waitForResult(task_id, { onProgress: (t) => states.push(t.state), intervalMs: 60_000 });
    assert.equal(done.state, 1, JSON.stringify(done));
    assert.ok(recorder.log.some((r) => r.url.endsWith(`/${task_id}/events`) && r.status === 200), 'the stream was opened');
    // With a 60 s poll interval the run ends in seconds only because the stream carried the end.
    assert.equal(recorder.log.filter((r) => r.method === 'GET' && r.url.endsWith(task_id)).length, 1);
    assert.equal(states.at(-1), 1);
    await expectText(streaming, done);
  });

  it('sync: a Node stream in, the finished task back from the create call', async () => {
    const created = await client.createTask({ file: fs.createReadStream(IMAGE), sync: true, languages: ['English'] });
    assert.equal(created.state, 1, JSON.stringify(created));
    await expectText(client, created as Task);
  });

  it('callback: a Blob in, the signed callback verified, a tampered one refused', async () => {
    const receiver = await startCallbackReceiver();
    try {
      const blob = new Blob([fs.readFileSync(IMAGE)]);
      const { task_id } = await client.createTask({ file: blob, callbackUrl: receiver.urlFor('sdk'), languages: ['English'] });
      const delivery = await receiver.next('sdk');
      const body = await verifyWebhook(secret, delivery);
      assert.equal(body.data.task_id, task_id);
      assert.equal(body.data.state, 1);
      await expectText(client, body.data);
      const tampered = delivery.body.replace('"state":1', '"state":-1');
      await assert.rejects(verifyWebhook(secret, { ...delivery, body: tampered }), WebhookVerificationError);
      await assert.rejects(verifyWebhook(secret, { headers: { ...delivery.headers, 'webhook-signature': 'v1,AAAA' }, body: delivery.body }), WebhookVerificationError);
      await assert.rejects(verifyWebhook(secret, delivery, { now: Math.floor(Date.now() / 1000) + 3600 }), /timestamp/);
      const other = await docr.makeKey(1);
      await assert.rejects(verifyWebhook(other.webhook_secret, delivery), /another key/);
    } finally {
      await receiver.close();
    }
  });

  it('a web stream, a file: URL and an image_url in; every option reaches the server', async () => {
    const web = fs.readFileSync(IMAGE);
    const stream = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(web.subarray(0, 1000)); c.enqueue(web.subarray(1000)); c.close(); } });
    for (const file of [stream, pathToFileURL(IMAGE)]) {
      const done = await client.waitForResult(await client.createTask({ file, languages: ['English', 'Digits'], format: 'txt' }));
      await expectText(client, done);
    }
    const images = await serveImageOnPort80(IMAGE);
    if (images) {
      try {
        const done = await client.waitForResult(await client.createTask({ url: images.url, languages: ['English'] }));
        await expectText(client, done);
      } finally { await images.close(); }
    }
    // format json, pages, password, idempotency.
    const first = await client.createTask({ file: LOCKED_PDF, password: 'asdfzxcv', format: 'json', pages: '1', languages: ['English'], idempotencyKey: 'sdk-opts-1' });
    const again = await client.createTask({ file: LOCKED_PDF, password: 'asdfzxcv', format: 'json', pages: '1', languages: ['English'], idempotencyKey: 'sdk-opts-1' });
    assert.equal(again.task_id, first.task_id, 'the same idempotency key gives the same task');
    const done = await client.waitForResult(first, { timeoutMs: 120_000 });
    assert.equal(done.pages_total, 1);
    const json = await (await client.download(done)).json() as { pages: unknown[] };
    assert.equal(json.pages.length, 1);
  });

  it('429: waits Retry-After and succeeds; with no retries left, RateLimitError', async () => {
    const slow = await docr.makeKey(10, 1);
    // Three clients of one key create at once: the key takes one a second.
    const recorders = [0, 1, 2].map(() => recordingFetch());
    const results = await Promise.all(recorders.map((r) =>
      new DocrClient({ baseUrl: docr.base, apiKey: slow.key, fetch: r.fn }).createTask({ file: fs.readFileSync(IMAGE), languages: 'English' })));
    assert.equal(new Set(results.map((r) => r.task_id)).size, 3);
    let throttled = 0;
    for (const { log } of recorders) {
      log.forEach((r, i) => {
        if (r.status !== 429) return;
        throttled++;
        assert.ok(Number(r.retryAfter) >= 1, `Retry-After given: ${r.retryAfter}`);
        const retry = log[i + 1];
        assert.ok(retry, 'the client retried');
        // The retry comes no sooner than Retry-After says (behaviour, not speed).
        assert.ok(retry.at - r.at >= Number(r.retryAfter) * 1000 - 50, `retried after ${retry.at - r.at} ms`);
      });
      assert.equal(log.at(-1)?.status, 200);
    }
    assert.ok(throttled >= 1, 'the key was throttled');
    const impatient = new DocrClient({ baseUrl: docr.base, apiKey: slow.key, maxRetries: 0 });
    const burst = await Promise.allSettled([0, 1, 2].map(() => impatient.createTask({ file: fs.readFileSync(IMAGE) })));
    const error = burst.find((r) => r.status === 'rejected')?.reason;
    assert.ok(error instanceof RateLimitError, String(error));
    assert.equal(error.status, 429);
    assert.ok(error.retryAfterSeconds >= 1, `retryAfterSeconds ${error.retryAfterSeconds}`);
  });

  it('typed errors: 400, 401, 402, 404, 413, failed task, timeout, unreachable, not docr', async () => {
    await assert.rejects(client.createTask({ file: IMAGE, languages: ['Klingon'] }), (e) => e instanceof BadRequestError && e.status === 400 && /Klingon/.test(e.message));
    const stranger = new DocrClient({ baseUrl: docr.base, apiKey: 'docr_not-a-key' });
    await assert.rejects(stranger.getTask('x'), (e) => e instanceof AuthenticationError && e.status === 401);
    const broke = new DocrClient({ baseUrl: docr.base, apiKey: (await docr.makeKey(0)).key });
    await assert.rejects(broke.createTask({ file: IMAGE }), (e) => e instanceof InsufficientCreditsError && e.status === 402 && /credit/.test(e.message));
    await assert.rejects(client.getTask('00000000-0000-4000-8000-000000000000'), (e) => e instanceof TaskNotFoundError && e.status === 404);
    await assert.rejects(client.createTask({ file: BIG_PDF }), (e) => e instanceof PayloadTooLargeError && e.status === 413);
    const locked = await client.createTask({ file: LOCKED_PDF, password: 'wrong-password-123' });
    await assert.rejects(client.waitForResult(locked), (e) => e instanceof TaskFailedError && e.state === -7 && /password/i.test(e.message) && e.taskId === locked.task_id);
    const pending = await client.createTask({ file: IMAGE });
    await assert.rejects(client.waitForResult(pending, { timeoutMs: 1 }), (e) => e instanceof WaitTimeoutError);
    await client.waitForResult(pending);
    const closedPort = await new Promise<number>((r) => { const s = http.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => r(p)); }); });
    await assert.rejects(new DocrClient({ baseUrl: `http://127.0.0.1:${closedPort}`, apiKey: 'k' }).getTask('x'), (e) => e instanceof ConnectionError && /cannot reach/.test(e.message));
    // Not docr, and a server failure: a plain HTTP server in docr's place.
    const impostor = http.createServer((req, res) => {
      if (req.url?.includes('fail')) { res.statusCode = 503; res.setHeader('content-type', 'application/json'); res.end('{"status":503,"message":"overloaded","data":{}}'); return; }
      res.end('<html>hello</html>');
    });
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
    try {
      const at = new DocrClient({ baseUrl: `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`, apiKey: 'k' });
      await assert.rejects(at.getTask('x'), (e) => e instanceof ConnectionError && /JSON envelope/.test(e.message));
      await assert.rejects(at.getTask('fail'), (e) => e instanceof ServerError && e.status === 503 && e.message === 'overloaded');
    } finally { await new Promise((r) => impostor.close(r)); }
  });

  it('the README\'s quick start runs as printed', async () => {
    const example = path.join(ROOT, 'sdk/examples/quickstart.ts');
    assert.ok(fs.readFileSync(path.join(ROOT, 'sdk/README.md'), 'utf8').includes(fs.readFileSync(example, 'utf8')), 'the README shows the example file');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', example, IMAGE], { cwd: ROOT, env: { ...process.env, DOCR_URL: docr.base, DOCR_API_KEY: key } });
    assert.ok(cer(stdout, TRUTH) < 0.1, stdout);
  });

  it('an expired result URL: ResultExpiredError with the server\'s word', async () => {
    const shortLived = await startDocr(['--result-ttl', '1']);
    try {
      const c = new DocrClient({ baseUrl: shortLived.base, apiKey: (await shortLived.makeKey(5)).key });
      const done = await c.waitForResult(await c.createTask({ file: IMAGE, languages: 'English' }));
      const expires = Number(new URL(done.file!).searchParams.get('expires'));
      await new Promise((r) => setTimeout(r, Math.max(0, expires * 1000 - Date.now()) + 1500));
      await assert.rejects(c.download(done), (e) => e instanceof ResultExpiredError && e.status === 410 && /expired/.test(e.message));
    } finally {
      await shortLived.stop('SIGTERM');
      fs.rmSync(shortLived.dataDir, { recursive: true, force: true });
    }
  });
});
