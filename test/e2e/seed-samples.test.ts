/**
 * The reference's own samples (test/data/seeds, a copy of ../shared/seeds), changed only in URL, key and file, run
 * unmodified against a live docr (SPEC: "a program written for that API must work by
 * changing only the base URL and the key"): Python polling (upload and image_url), Python
 * callback, and the curl create + query pair.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { cer } from '../../bench/lib/cer.js';
import { CORPUS, getJson, seedSample, startDocr, substitute, type LiveDocr } from './live-docr.js';
import { serveImageOnPort80 } from './samples/peers.js';
import { fileUrlIn, MAIN, POLLING_UPLOAD, python, SEED, VENDOR } from './support/seed-python.js';

const run = promisify(execFile);
const IMAGE = path.join(CORPUS, 'images-en/ocropy_0079-01000d.png');
const TRUTH = fs.readFileSync(path.join(CORPUS, 'images-en/ocropy_0079-01000d.gt.txt'), 'utf8');
async function expectGoodText(url: string) {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(cer(text, TRUTH) < 0.1, `CER too high for: ${text}`);
}

describe('seed samples against a live docr', { timeout: 300_000 }, () => {
  let docr: LiveDocr;
  let key: string;
  let secret: string;
  before(async () => {
    docr = await startDocr(['--allow-private-urls']);
    ({ key, webhook_secret: secret } = await docr.makeKey(100));
  });
  after(async () => {
    const code = await docr.stop('SIGTERM');
    assert.equal(code, 0, `docr did not exit cleanly on SIGTERM:\n${docr.log()}`);
    fs.rmSync(docr.dataDir, { recursive: true, force: true });
  });

  it('Python polling sample (image_file) succeeds and its result URL serves the text', async () => {
    const sample = seedSample(SEED, POLLING_UPLOAD, MAIN);
    const out = await python(substitute(sample, { YOUR_API_KEY: key, YOUR_IMAGE_FILE_PATH: IMAGE, [VENDOR]: docr.base }));
    assert.match(out, /Result of created task\(successful\)/, out);
    assert.match(out, /Result\(successful\): \{'status': 200, 'message': 'success', 'data': \{'task_id'/, out);
    await expectGoodText(fileUrlIn(out.split('Result(successful)')[1])!);
  });

  it('curl samples: create with a local file, then query until state 1', async () => {
    const create = seedSample('000_798950ee1dbcec74.txt', "curl -k 'https://techhk.aoscdn.com/api/tasks/document/ocr' \\\n-H 'X-API-KEY: YOUR_API_KEY' \\\n-F 'image_file=@/path/to/file.pdf'", "-F 'format=txt'");
    const query = seedSample('000_798950ee1dbcec74.txt', "curl -k 'https://techhk.aoscdn.com/api/tasks/document/ocr/{task_id}'", "-H 'X-API-KEY: YOUR_API_KEY'");
    const created = JSON.parse((await run('bash', ['-c', substitute(create, { 'https://techhk.aoscdn.com': docr.base, YOUR_API_KEY: key, '/path/to/file.pdf': IMAGE })])).stdout);
    assert.equal(created.status, 200);
    let body: any;
    for (let i = 0; i < 120; i++) {
      body = JSON.parse((await run('bash', ['-c', substitute(query, { 'https://techhk.aoscdn.com': docr.base, YOUR_API_KEY: key, '{task_id}': created.data.task_id })])).stdout);
      if (body.data.state === 1 || body.data.state < 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(body.data.state, 1, JSON.stringify(body));
    assert.equal(body.data.progress, 100);
    await expectGoodText(body.data.file);
  });

  it('curl samples of the samples page: create as printed (its format line lacks the backslash), query on the visual path', async () => {
    const SAMPLES = '001_ebfefed5700b24f5.txt';
    const HOST = 'https://techsz.aoscdn.com';
    const create = seedSample(SAMPLES, `curl -k '${HOST}/api/tasks/document/ocr' \\\n-H 'X-API-KEY: YOUR_API_KEY' \\\n-F 'image_file=@/path/to/image.jpg'`, "-F 'format=txt'");
    const query = seedSample(SAMPLES, `curl -k '${HOST}/api/tasks/visual/document/ocr/{task_id}'`, "-H 'X-API-KEY: YOUR_API_KEY'");
    // Pasted into a shell, the create runs and the stray `-F 'format=txt'` line fails on its own.
    const pasted = await run('bash', ['-c', substitute(create, { [HOST]: docr.base, YOUR_API_KEY: key, '/path/to/image.jpg': IMAGE })])
      .catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    const created = JSON.parse(pasted.stdout);
    assert.equal(created.status, 200, pasted.stdout);
    let body: any;
    for (let i = 0; i < 120; i++) {
      body = JSON.parse((await run('bash', ['-c', substitute(query, { [HOST]: docr.base, YOUR_API_KEY: key, '{task_id}': created.data.task_id })])).stdout);
      if (body.data.state === 1 || body.data.state < 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(body.data.state, 1, JSON.stringify(body));
    await expectGoodText(body.data.file);
  });

  it('Python callback sample (image_file): the receiver gets the signed query body', async () => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => { received.push({ headers: req.headers, body }); res.end('ok'); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ocr-done`;
      const sample = seedSample(SEED, "import os\nimport requests\n\nAPI_KEY = 'YOUR_API_KEY'\nIMAGE_FILE_PATH = 'YOUR_IMAGE_FILE_PATH'\nSERVER_URL", MAIN);
      const out = await python(substitute(sample, { YOUR_API_KEY: key, YOUR_IMAGE_FILE_PATH: IMAGE, YOUR_SERVER_URL: receiverUrl, [VENDOR]: docr.base }));
      assert.match(out, /Result\(successful\)/, out);
      const taskId = /'task_id': '([^']+)'/.exec(out)![1];
      for (let i = 0; i < 120 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 500));
      assert.equal(received.length >= 1, true, 'a callback arrived');
      const { headers, body } = received[0];
      assert.match(String(headers['content-type']), /application\/json/);
      const json = JSON.parse(body);
      assert.equal(json.status, 200);
      assert.equal(json.data.task_id, taskId);
      assert.equal(json.data.state, 1);
      const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
        .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64');
      assert.equal(headers['webhook-signature'], `v1,${expected}`);
      // The callback body is what a query answers.
      const queried = await getJson(`${docr.base}/api/tasks/document/ocr/${taskId}`, key);
      assert.equal(queried.data.state, json.data.state);
      await expectGoodText(json.data.file);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('Python polling sample (image_url on port 80) succeeds where port 80 can be bound', async (t) => {
    const images = await serveImageOnPort80(IMAGE);
    if (!images) { t.skip('port 80 is not available to this user'); return; }
    try {
      const sample = seedSample(SEED, "import time\nimport requests\n\nAPI_KEY = 'YOUR_API_KEY'\nIMAGE_NETWORK_URL", MAIN);
      const out = await python(substitute(sample, { YOUR_API_KEY: key, YOUR_IMAGE_NETWORK_URL: images.url, [VENDOR]: docr.base }));
      assert.match(out, /Result\(successful\)/, out);
      await expectGoodText(fileUrlIn(out.split('Result(successful)')[1])!);
    } finally {
      await images.close();
    }
  });
});
