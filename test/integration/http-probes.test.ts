/**
 * Contract slips found by probing docr as a hostile or careless client would (issue 13),
 * each a case that answered wrongly before: an empty file, many extra fields and parts, 11
 * language names, huge echoed values, a malformed percent-encoding, a callback to a
 * forbidden literal address, the body after DELETE, forwarded headers without a proxy, a
 * declared Content-Length over the limit, a JSON body with __proto__ or an array.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { TaskState } from '../../src/domain/task-state.js';
import { makeHarness, multipart, TASKS, TINY_PNG } from './http-harness.js';

type H = Awaited<ReturnType<typeof makeHarness>>;
const file = { filename: 'a.png', content: TINY_PNG };

describe('create probes', () => {
  let h: H; let key: string;
  before(async () => { h = await makeHarness(); key = await h.key(1000); });
  after(async () => { await h.close(); });

  const post = (fields: Parameters<typeof multipart>[0]) => {
    const b = multipart(fields);
    return h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload });
  };
  const postJson = (payload: string) =>
    h.app.inject({ method: 'POST', url: TASKS, headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload });

  it('ignores 70 extra text fields and a few extra file parts in a small request', async () => {
    const extra = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`extra_${i}`, 'x']));
    const res = await post({ image_file: file, ...extra, other_file: file, third_file: file, fourth_file: file, fifth_file: file });
    assert.equal(res.statusCode, 200, res.body);
  });

  it('says "too many form fields" in its own words, far above any real client', async () => {
    const extra = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`f${i}`, 'x']));
    const res = await post({ image_file: file, ...extra });
    assert.equal(res.statusCode, 413, res.body);
    assert.match(res.json().message, /too many form fields/);
    assert.doesNotMatch(res.json().message, /larger than/);
  });

  it('rejects 11 language names, the same one repeated included (duplicates count)', async () => {
    const res = await post({ image_file: file, language: Array(11).fill('English').join(',') });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().message, /language: at most 10 names, got 11/);
  });

  it('echoes at most a few dozen characters of a huge value', async () => {
    for (const [field, value] of [['language', 'x'.repeat(60_000)], ['format', 'y'.repeat(60_000)], ['image_url', `http://h/${'%zz'.repeat(20_000)}`]] as const) {
      const res = await post(field === 'image_url' ? { image_url: value } : { image_file: file, [field]: value });
      assert.equal(res.statusCode, 400, field);
      assert.ok(res.body.length < 400, `${field}: a ${res.body.length}-byte answer`);
    }
  });

  it('refuses a malformed percent-encoding in image_url at create', async () => {
    const res = await post({ image_url: 'http://example.com/%zz.png' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /image_url: malformed percent-encoding "%zz"/);
  });

  it('refuses a callback_url at a forbidden literal address, numeric spellings included', async () => {
    for (const url of ['http://127.0.0.1:9000/hook', 'http://10.1.2.3/h', 'http://169.254.169.254/latest', 'http://[::1]/h', 'http://2130706433/h', 'http://0x7f.1/h', 'http://[::ffff:127.0.0.1]/h']) {
      const res = await post({ image_file: file, callback_url: url });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.match(res.json().message, /callback_url: .* address, which docr does not call/);
    }
    assert.equal((await post({ image_file: file, callback_url: 'http://93.184.215.14:8443/hook' })).statusCode, 200, 'a public address is fine');
  });

  it('names the cause of a JSON body with __proto__, and of an array for language', async () => {
    const proto = await postJson('{"__proto__":{"x":1},"image_url":"http://example.com/a.png"}');
    assert.equal(proto.statusCode, 400);
    assert.match(proto.json().message, /__proto__/);
    const arr = await postJson('{"image_url":"http://example.com/a.png","language":["English","French"]}');
    assert.equal(arr.statusCode, 400);
    assert.match(arr.json().message, /language: must be a string, got an array.*"English,French"/);
    const bad = await postJson('{"image_url": ');
    assert.match(bad.json().message, /not valid JSON/);
  });

  it('left no upload behind and charged nothing for the rejections', async () => {
    const accepted = h.queue.ids.length;
    assert.equal((await h.store.listKeys())[0].credits, 1000 - accepted);
    assert.equal((await h.blobs.list('inputs/')).length, accepted);
  });
});

describe('query probes', () => {
  let h: H; let key: string;
  before(async () => { h = await makeHarness(); key = await h.key(); });
  after(async () => { await h.close(); });

  async function finished(headers: Record<string, string> = {}) {
    const b = multipart({ image_file: file });
    const id = (await h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload })).json().data.task_id;
    await h.store.claim(id, 'w', h.clock.now() + 60_000);
    await h.blobs.put(`results/${id}.txt`, Buffer.from('hi'));
    await h.store.update(id, 'w', { state: TaskState.Succeeded, resultKey: `results/${id}.txt`, outputSize: 2 });
    const q = await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key, ...headers } });
    return { id, data: q.json().data };
  }

  it('drops file and says purged after DELETE', async () => {
    const { id } = await finished();
    const del = await h.app.inject({ method: 'DELETE', url: `${TASKS}/${id}`, headers: { 'x-api-key': key } });
    assert.equal(del.json().data.file, undefined);
    assert.equal(del.json().data.purged, true);
    const q = (await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key } })).json();
    assert.equal(q.data.state, 1);
    assert.equal(q.data.file, undefined);
    assert.equal(q.data.purged, true);
  });

  it('ignores X-Forwarded-Host and -Proto unless a proxy is trusted', async () => {
    const { data } = await finished({ host: 'docr.internal:8080', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    assert.match(data.file, /^http:\/\/docr\.internal:8080\//);
  });
});

describe('trusted proxy and public URL', () => {
  it('uses forwarded headers with --trust-proxy, and --public-url above both', async () => {
    for (const [limits, extra, expected] of [
      [{}, { trustProxy: true }, /^https:\/\/ocr\.example\.com\//],
      [{ publicUrl: 'https://public.example' }, { trustProxy: true }, /^https:\/\/public\.example\//],
    ] as const) {
      const h = await makeHarness(limits, extra);
      const key = await h.key();
      const b = multipart({ image_file: file });
      const id = (await h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload })).json().data.task_id;
      await h.store.claim(id, 'w', h.clock.now() + 60_000);
      await h.store.update(id, 'w', { state: TaskState.Succeeded, resultKey: `results/${id}.txt`, outputSize: 2 });
      const q = (await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key, host: 'docr.internal', 'x-forwarded-host': 'ocr.example.com', 'x-forwarded-proto': 'https' } })).json();
      assert.match(q.data.file, expected);
      await h.close();
    }
  });
});

describe('declared size', () => {
  it('answers a Content-Length over the limit with 413 before reading the body', async () => {
    const h = await makeHarness({ maxUploadBytes: 1024 * 1024 });
    const key = await h.key(5);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as net.AddressInfo).port;
    try {
      const answer = await new Promise<string>((resolve) => {
        let out = '';
        const s = net.connect(port, '127.0.0.1', () => {
          // Headers only: the 500 MB body is never sent, so an answer proves it was not awaited.
          s.write(`POST ${TASKS} HTTP/1.1\r\nHost: x\r\nX-API-KEY: ${key}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 500000000\r\n\r\n`);
        });
        s.on('data', (d) => { out += d; if (out.includes('}')) { s.destroy(); resolve(out); } });
        setTimeout(() => { s.destroy(); resolve(out); }, 5000);
      });
      assert.match(answer, /^HTTP\/1\.1 413/);
      assert.match(answer, /"status":413/);
      assert.match(answer, /declares 500000000 bytes/);
      assert.equal((await h.record(key)).credits, 5);
    } finally {
      await h.close();
    }
  });
});
