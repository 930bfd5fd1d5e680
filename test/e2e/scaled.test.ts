/**
 * Scaled mode end to end (issue 12): two API nodes and two workers as separate processes on
 * one PostgreSQL database, one Redis prefix and one s3rver bucket. Tasks created on either
 * node are read, watched and cancelled on the other; sync=1 waits across processes; result
 * URLs are presigned object-store URLs; a worker SIGKILLed or stopped mid-task loses nothing; credits
 * and create QPS hold across nodes; the vendor's Python polling sample runs against node B.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PDFDocument } from 'pdf-lib';
import { cer } from '../../bench/lib/cer.js';
import { CORPUS, seedSample, substitute } from './live-docr.js';
import { createFileTask, queryTask, waitFinal, type Endpoint } from './support/client.js';
import { startScaledCluster, type DocrProcess, type ScaledCluster } from './support/scaled-cluster.js';
import { fileUrlIn, MAIN, POLLING_UPLOAD, python, SEED, VENDOR } from './support/seed-python.js';
import { startCallbackReceiver } from './samples/peers.js';

const IMAGE = path.join(CORPUS, 'images-en/ocropy_0079-01000d.png');
const TRUTH = fs.readFileSync(path.join(CORPUS, 'images-en/ocropy_0079-01000d.gt.txt'), 'utf8');
const TASKS = '/api/tasks/document/ocr';

async function expectGoodText(url: string | undefined, s3Endpoint: string): Promise<void> {
  assert.ok(url?.startsWith(`${s3Endpoint}/`), `a presigned object-store URL: ${url}`);
  assert.match(url!, /X-Amz-Signature=/);
  const res = await fetch(url!);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(cer(text, TRUTH) < 0.1, `CER too high for: ${text}`);
}

/** A PDF of `pages` scanned pages (the corpus image on each): long enough to be caught mid-task. */
async function scannedPdf(pages: number): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docr-scaled-pdf-')), 'scan.pdf');
  const doc = await PDFDocument.create();
  const png = await doc.embedPng(fs.readFileSync(IMAGE));
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([png.width, png.height]);
    page.drawImage(png, { x: 0, y: 0, width: png.width, height: png.height });
  }
  fs.writeFileSync(file, await doc.save());
  return file;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('scaled mode: two API nodes, two workers', { timeout: 600_000 }, () => {
  let cluster: ScaledCluster;
  let nodeA: DocrProcess, nodeB: DocrProcess;
  const workers: DocrProcess[] = [];
  let a: Endpoint, b: Endpoint;
  let db: pg.Client;
  let secret: string;

  before(async () => {
    // Short leases: a killed worker's task is recovered within seconds; a stopped one hands its task back after 1 s.
    cluster = await startScaledCluster({ DOCR_LEASE_SECONDS: '3', DOCR_SHUTDOWN_GRACE: '1' });
    [nodeA, nodeB] = await Promise.all([cluster.startApi(), cluster.startApi()]);
    workers.push(...await Promise.all([cluster.startWorker(), cluster.startWorker()]));
    let key: string;
    ({ key, webhook_secret: secret } = await cluster.makeKey(500));
    a = { baseUrl: nodeA.base, apiKey: key };
    b = { baseUrl: nodeB.base, apiKey: key };
    db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
  });
  after(async () => {
    await db?.end();
    const codes = await Promise.all([nodeA, nodeB, ...workers].map((p) => p?.stop('SIGTERM')));
    await cluster?.stop();
    assert.deepEqual(codes.filter((c) => c !== 0), [], 'every process exits cleanly on SIGTERM');
  });

  it('a task created on A is read on B; sync=1 on A waits for a worker process and answers a presigned URL', async () => {
    const created = await createFileTask(a, IMAGE, { format: 'txt' });
    assert.equal(created.status, 200);
    const done = await waitFinal(b, created.data.task_id!);
    assert.equal(done.state, 1);
    await expectGoodText(done.file, cluster.s3.endpoint);

    const sync = await createFileTask(a, IMAGE, { format: 'txt', sync: '1' });
    const data = sync.data as { state?: number; file?: string };
    assert.equal(data.state, 1, JSON.stringify(sync));
    await expectGoodText(data.file, cluster.s3.endpoint);
  });

  it('a callback is sent by the worker, signed with the key\'s secret, carrying the presigned URL', async () => {
    const receiver = await startCallbackReceiver();
    try {
      const created = await createFileTask(a, IMAGE, { format: 'txt', callback_url: receiver.urlFor('scaled') });
      const { headers, body } = await receiver.next('scaled');
      const json = JSON.parse(body);
      assert.equal(json.data.task_id, created.data.task_id);
      assert.equal(json.data.state, 1);
      const mac = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
        .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64');
      assert.equal(headers['webhook-signature'], `v1,${mac}`);
      await expectGoodText(json.data.file, cluster.s3.endpoint);
    } finally {
      await receiver.close();
    }
  });

  it('a password sealed by node B is opened by a worker process, and erased when the task ends', async () => {
    const locked = path.join(CORPUS, 'pdf/pypdf_r2-user-password.pdf');
    const sync = await createFileTask(b, locked, { format: 'txt', language: 'English', password: 'asdfzxcv', sync: '1' });
    const data = sync.data as { task_id: string; state?: number };
    assert.equal(data.state, 1, JSON.stringify(sync));
    const row = await db.query<{ doc: string }>('SELECT doc::text AS doc FROM tasks WHERE id = $1', [data.task_id]);
    assert.doesNotMatch(row.rows[0].doc, /sealedPassword|asdfzxcv/);
  });

  it('the event stream on B follows a task created on A to its end', async () => {
    const created = await createFileTask(a, IMAGE, { format: 'txt' });
    const res = await fetch(`${b.baseUrl}${TASKS}/${created.data.task_id}/events`, { headers: { 'X-API-KEY': b.apiKey } });
    assert.equal(res.status, 200);
    const states = [...(await res.text()).matchAll(/"state":(-?\d+)/g)].map((m) => Number(m[1]));
    assert.equal(states.at(-1), 1, `states seen: ${states}`);
  });

  it('a task created on B is cancelled on A, and both nodes say -13', async () => {
    const pdf = await scannedPdf(6);
    const created = await createFileTask(b, pdf, { format: 'txt' });
    const del = await fetch(`${a.baseUrl}${TASKS}/${created.data.task_id}`, { method: 'DELETE', headers: { 'X-API-KEY': a.apiKey } });
    assert.equal(del.status, 200);
    for (const node of [a, b]) {
      const q = await queryTask(node, created.data.task_id!);
      assert.equal(q.data.state, -13, JSON.stringify(q));
    }
  });

  /** Creates a 6-page scanned task on A and waits until a worker is past its first page; the task id and that worker. */
  async function taskMidway(): Promise<{ id: string; owner: string; holder: DocrProcess }> {
    const created = await createFileTask(a, await scannedPdf(6), { format: 'txt' });
    const id = created.data.task_id!;
    const owner = await until('a worker holds the task mid-way', async () => {
      const r = await db.query<{ doc: { leaseOwner?: string; state: number; pagesDone?: number } }>('SELECT doc FROM tasks WHERE id = $1', [id]);
      const doc = r.rows[0]?.doc;
      return doc?.leaseOwner && (doc.pagesDone ?? 0) >= 1 && doc.state !== 1 ? doc.leaseOwner : undefined;
    });
    const holder = workers.find((w) => owner.includes(`-${w.child.pid}-`));
    assert.ok(holder, `the owner ${owner} is one of the workers`);
    return { id, owner, holder: holder! };
  }

  async function finishedElsewhere(id: string, owner: string): Promise<void> {
    const done = await waitFinal(b, id, 180_000);
    assert.equal(done.state, 1, JSON.stringify(done));
    assert.equal(done.file_pages, 6);
    const row = await db.query<{ doc: { attempts: number; leaseOwner: string } }>('SELECT doc FROM tasks WHERE id = $1', [id]);
    assert.equal(row.rows[0].doc.attempts, 2, 'claimed once more, by the other worker');
    assert.notEqual(row.rows[0].doc.leaseOwner, owner);
  }

  it('a worker SIGKILLed mid-task loses nothing: the other worker finishes the task', async () => {
    const { id, owner, holder } = await taskMidway();
    holder.child.kill('SIGKILL');
    await holder.exited;
    await finishedElsewhere(id, owner);
    workers.splice(workers.indexOf(holder), 1, await cluster.startWorker());
  });

  it('a worker stopped with SIGTERM hands its task back, and the other worker finishes it', async () => {
    const { id, owner, holder } = await taskMidway();
    assert.equal(await holder.stop('SIGTERM'), 0, holder.log());
    await finishedElsewhere(id, owner);
    workers.splice(workers.indexOf(holder), 1, await cluster.startWorker());
  });

  it('the vendor\'s Python polling sample runs unmodified against node B', async () => {
    const sample = seedSample(SEED, POLLING_UPLOAD, MAIN);
    const out = await python(substitute(sample, { YOUR_API_KEY: b.apiKey, YOUR_IMAGE_FILE_PATH: IMAGE, [VENDOR]: b.baseUrl }));
    assert.match(out, /Result\(successful\): \{'status': 200, 'message': 'success', 'data': \{'task_id'/, out);
    await expectGoodText(fileUrlIn(out.split('Result(successful)')[1]), cluster.s3.endpoint);
  });

  it('50 concurrent creates over both nodes on a 20-credit key: exactly 20 tasks and 30 × 402', async () => {
    const { key, id } = await cluster.makeKey(20, 1000);
    const png = fs.readFileSync(IMAGE);
    const statuses = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const form = new FormData();
      form.append('image_file', new Blob([png]), 'scan.png');
      const res = await fetch(`${(i % 2 ? a : b).baseUrl}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: form });
      const body = await res.json() as { status: number; data?: { task_id?: string } };
      if (body.data?.task_id) await fetch(`${a.baseUrl}${TASKS}/${body.data.task_id}`, { method: 'DELETE', headers: { 'X-API-KEY': key } });
      return res.status;
    }));
    assert.equal(statuses.filter((s) => s === 200).length, 20, `statuses: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 402).length, 30, `statuses: ${statuses}`);
    const tasks = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE key_id = $1', [id]);
    assert.equal(tasks.rows[0].n, 20);
    const credits = await db.query<{ credits: number }>('SELECT credits FROM api_keys WHERE id = $1', [id]);
    assert.equal(Number(credits.rows[0].credits), 0);
  });

  it('a 2-QPS key hammered on both nodes gets at most 2 creates a second in total', async () => {
    const { key } = await cluster.makeKey(1000, 2);
    const png = new Blob([fs.readFileSync(IMAGE)]);
    const form = () => { const f = new FormData(); f.append('image_file', png, 'scan.png'); return f; };
    const accepted: number[] = [];
    const started = Date.now();
    // 60 creates over about 3 s, alternating nodes, ten at a time.
    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({ length: 10 }, async (_, i) => {
        const res = await fetch(`${(i % 2 ? a : b).baseUrl}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: form() });
        const body = await res.json() as { data?: { task_id?: string } };
        if (res.status === 200) {
          accepted.push(Date.now());
          await fetch(`${a.baseUrl}${TASKS}/${body.data!.task_id}`, { method: 'DELETE', headers: { 'X-API-KEY': key } });
        } else assert.equal(res.status, 429);
      }));
      await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (Date.now() - started) / 1000;
    // A bucket of 2 refilled at 2 a second: 2 at once, then 2 a second, whichever node answers.
    assert.ok(accepted.length <= 2 + Math.ceil(2 * seconds), `${accepted.length} accepted in ${seconds.toFixed(1)} s`);
    assert.ok(accepted.length >= 4, `${accepted.length} accepted in ${seconds.toFixed(1)} s`);
  });
});
