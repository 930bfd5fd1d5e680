/**
 * A crash loses nothing: docr killed with SIGKILL while tasks are queued and running comes
 * back, re-queues the dead process's work and finishes every task; none stays in a working
 * state. The restarted docr (without --allow-private-urls) also refuses private image_url
 * addresses (SSRF), ending those tasks in -3.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CORPUS, getJson, startDocr, type LiveDocr } from './live-docr.js';

const IMAGE = path.join(CORPUS, 'images-en/ocropy_1241-010032.png');
const TASKS = '/api/tasks/document/ocr';

async function createUpload(docr: LiveDocr, key: string): Promise<string> {
  const form = new FormData();
  form.append('image_file', new Blob([fs.readFileSync(IMAGE)]), 'scan.png');
  form.append('language', 'English');
  const res = await fetch(`${docr.base}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: form });
  const json = await res.json() as any;
  assert.equal(json.status, 200, JSON.stringify(json));
  return json.data.task_id;
}

async function waitFinal(docr: LiveDocr, key: string, id: string, seconds = 120): Promise<any> {
  for (let i = 0; i < seconds * 2; i++) {
    const body = await getJson(`${docr.base}${TASKS}/${id}`, key);
    if (body.data.state === 1 || body.data.state < 0) return body;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`task ${id} did not end`);
}

describe('restart after SIGKILL, and SSRF refusals', { timeout: 300_000 }, () => {
  let docr: LiveDocr | undefined;
  let first: LiveDocr | undefined;
  after(async () => {
    await first?.stop('SIGKILL');
    if (docr) { await docr.stop('SIGTERM'); fs.rmSync(docr.dataDir, { recursive: true, force: true }); }
  });

  it('finishes every task a killed docr left queued or running', async () => {
    first = await startDocr(['--lease-seconds', '2']);
    const { key } = await first.makeKey(10, 10);
    const ids = [await createUpload(first!, key), await createUpload(first!, key), await createUpload(first!, key)];
    // Kill as soon as one task is being worked on.
    for (let i = 0; i < 200; i++) {
      const states = await Promise.all(ids.map(async (id) => (await getJson(`${first!.base}${TASKS}/${id}`, key)).data.state));
      if (states.some((s) => s >= 2)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await first.stop('SIGKILL');

    docr = await startDocr(['--lease-seconds', '2'], first.dataDir);
    const ends = await Promise.all(ids.map((id) => waitFinal(docr!, key, id)));
    for (const end of ends) {
      assert.equal(end.data.state, 1, JSON.stringify(end));
      const text = await (await fetch(end.data.file)).text();
      assert.ok(text.trim().length > 0);
    }
  });

  it('refuses image_url that resolves to loopback, private or metadata addresses (-3)', async () => {
    const { key } = await docr!.makeKey(10, 10);
    for (const url of ['http://127.0.0.1/scan.png', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/a.png', 'http://[::1]/a.png']) {
      const res = await fetch(`${docr!.base}${TASKS}`, {
        method: 'POST', headers: { 'X-API-KEY': key, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ image_url: url, format: 'txt' }),
      });
      const id = ((await res.json()) as any).data.task_id;
      const end = await waitFinal(docr!, key, id, 30);
      assert.equal(end.data.state, -3, `${url}: ${JSON.stringify(end)}`);
      assert.ok(end.data.err_message.length > 0);
    }
  });
});
