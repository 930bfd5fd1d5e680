/** POST /api/tasks/document/ocr through app.inject(): every field rule, accounts, limits (SPEC §1.1–§1.4). */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, multipart, TASKS, TINY_PNG } from './http-harness.js';

type H = Awaited<ReturnType<typeof makeHarness>>;

describe('create: field rules (400 naming the field)', () => {
  let h: H; let key: string;
  before(async () => { h = await makeHarness(); key = await h.key(1000); });
  after(async () => { await h.close(); });

  const file = { filename: 'a.png', content: TINY_PNG };
  const cases: [string, Record<string, string | { filename: string; content: Buffer }>, RegExp][] = [
    ['neither source', { format: 'txt' }, /image_url or image_file/],
    ['image_file as a blank text field', { image_file: '' }, /image_url or image_file/],
    ['empty image_url and no file', { image_url: '' }, /image_url or image_file/],
    ['both sources', { image_url: 'https://example.com/a.png', image_file: file }, /image_url and image_file/],
    ['image_url ftp', { image_url: 'ftp://example.com/a.png' }, /image_url: only http and https/],
    ['image_url port 8080', { image_url: 'http://example.com:8080/a.png' }, /image_url: port 8080/],
    ['image_url not a URL', { image_url: 'not a url' }, /image_url/],
    ['image_url unencoded space', { image_url: 'https://example.com/a b.png' }, /image_url: not a properly encoded URL/],
    ['unknown language', { image_file: file, language: 'Klingon' }, /language: unknown language name "Klingon"/],
    ['wrong-case language', { image_file: file, language: 'english' }, /language: unknown language name "english"/],
    ['more than 10 languages', { image_file: file, language: 'English,French,German,Spanish,Italian,Dutch,Polish,Czech,Danish,Finnish,Swedish' }, /language: at most 10/],
    ['empty language in list', { image_file: file, language: 'English,,French' }, /language: empty name/],
    ['password of 33 characters', { image_file: file, password: 'x'.repeat(33) }, /password: at most 32/],
    ['format doc', { image_file: file, format: 'doc' }, /format: "doc" is not supported/],
    ['sync 2', { image_file: file, sync: '2' }, /sync: must be 0 or 1/],
    ['callback_url ftp', { image_file: file, callback_url: 'ftp://example.com/cb' }, /callback_url: only http and https/],
    ['callback_url garbage', { image_file: file, callback_url: 'nope' }, /callback_url/],
    ['pages not a page list', { image_file: file, pages: '3-1' }, /pages: "3-1" is not a page list/],
    ['image_file twice', { image_file: file, 'image_file\"; filename=\"b.png': file }, /image_file/],
  ];
  for (const [name, fields, message] of cases) {
    it(`rejects ${name}`, async () => {
      const body = multipart(fields);
      const res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...body.headers, 'x-api-key': key }, payload: body.payload });
      assert.equal(res.statusCode, 400, res.body);
      const json = res.json();
      assert.equal(json.status, 400);
      assert.match(json.message, message);
    });
  }

  it('consumed no credit and left no upload behind for any of the rejections', async () => {
    const [k] = await h.store.listKeys();
    assert.equal(k.credits, 1000);
    assert.deepEqual(await h.blobs.list('inputs/'), []);
    assert.deepEqual(h.queue.ids, []);
  });

  it('rejects an empty named file with 400 before any charge (SPEC §1.2: present and non-empty)', async () => {
    const body = multipart({ image_file: { filename: 'empty.pdf', content: Buffer.alloc(0) } });
    const res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...body.headers, 'x-api-key': key }, payload: body.payload });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().message, /image_file: the file is empty/);
    const [k] = await h.store.listKeys();
    assert.equal(k.credits, 1000);
    assert.deepEqual(await h.blobs.list('inputs/'), []);
    assert.deepEqual(h.queue.ids, []);
  });

  it('accepts a password of exactly 32 characters, 10 languages, every format and ignores unknown fields', async () => {
    for (const format of ['txt', 'pdf', 'docx', 'xlsx', 'pptx', 'json', 'hocr']) {
      const body = multipart({ image_file: file, password: 'p'.repeat(32), format, language: 'English,French,German,Spanish,Italian,Dutch,Polish,Czech,Danish,Digits', whatever: 'x', pages: '1-3,5' });
      const res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...body.headers, 'x-api-key': key }, payload: body.payload });
      assert.equal(res.statusCode, 200, res.body);
    }
  });

  it('accepts image_url on port 443 explicitly and in urlencoded and JSON bodies', async () => {
    const form = await h.app.inject({ method: 'POST', url: TASKS, headers: { 'x-api-key': key, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'image_url=https%3A%2F%2Fexample.com%3A443%2Fa.pdf&format=txt' });
    assert.equal(form.statusCode, 200, form.body);
    const json = await h.app.inject({ method: 'POST', url: TASKS, headers: { 'x-api-key': key }, payload: { image_url: 'http://example.com:80/a.pdf', sync: 0 } });
    assert.equal(json.statusCode, 200, json.body);
    const task = await h.store.get(json.json().data.task_id);
    assert.deepEqual(task?.source, { kind: 'url', url: 'http://example.com/a.pdf' });
  });

  it('answers 400 (not 500) for truncated or garbled multipart bodies, keeping nothing', async () => {
    const b = multipart({ image_file: file, format: 'txt' });
    const before = (await h.blobs.list('inputs/')).length;
    for (const payload of [b.payload.subarray(0, b.payload.length - 30), Buffer.from('garbage'), b.payload.subarray(0, 60)]) {
      const res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().status, 400);
    }
    assert.equal((await h.blobs.list('inputs/')).length, before);
  });

  it('rejects a JSON body that is not an object', async () => {
    const res = await h.app.inject({ method: 'POST', url: TASKS, headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: '[1]' });
    assert.equal(res.statusCode, 400);
  });
});

describe('create: success', () => {
  let h: H; let key: string;
  before(async () => { h = await makeHarness(); key = await h.key(5); });
  after(async () => { await h.close(); });

  it('stores the upload, queues the task, takes one credit and answers a UUID', async () => {
    const body = multipart({ image_file: { filename: 'scan.png', content: TINY_PNG }, format: 'txt', language: 'English' });
    const res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...body.headers, 'x-api-key': key }, payload: body.payload });
    assert.equal(res.statusCode, 200, res.body);
    const json = res.json();
    assert.equal(json.status, 200);
    assert.equal(json.message, 'success');
    assert.match(json.data.task_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(res.headers['x-credits-remaining'], '4');
    assert.ok(res.headers['ratelimit-limit']);
    assert.deepEqual(h.queue.ids, [json.data.task_id]);
    const task = await h.store.get(json.data.task_id);
    assert.equal(task?.state, 0);
    assert.deepEqual(task?.options.languages, ['English']);
    assert.deepEqual(task?.source, { kind: 'upload', blobKey: `inputs/${json.data.task_id}`, size: TINY_PNG.length, filename: 'scan.png' });
    assert.equal((await h.blobs.stat(`inputs/${json.data.task_id}`))?.size, TINY_PNG.length);
  });

  it('uses the default languages when none are given', async () => {
    const body = multipart({ image_file: { filename: 'scan.png', content: TINY_PNG } });
    const res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...body.headers, 'x-api-key': key }, payload: body.payload });
    const task = await h.store.get(res.json().data.task_id);
    assert.deepEqual(task?.options.languages, ['ChinesePRC', 'English', 'Digits']);
    assert.equal(task?.options.format, 'txt');
  });

  it('returns the same task for a repeated Idempotency-Key and charges once', async () => {
    const send = () => {
      const body = multipart({ image_file: { filename: 'scan.png', content: TINY_PNG } });
      return h.app.inject({ method: 'POST', url: TASKS, headers: { ...body.headers, 'x-api-key': key, 'idempotency-key': 'order-42' }, payload: body.payload });
    };
    const a = await send(); const b = await send();
    assert.equal(a.json().data.task_id, b.json().data.task_id);
    assert.equal(a.headers['x-credits-remaining'], b.headers['x-credits-remaining']);
    const other = multipart({ image_file: { filename: 'scan.png', content: TINY_PNG }, format: 'pdf' });
    const c = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...other.headers, 'x-api-key': key, 'idempotency-key': 'order-42' }, payload: other.payload });
    assert.equal(c.statusCode, 400, 'the same key with another body is refused');
    assert.match(c.json().message, /Idempotency-Key/);
  });
});

describe('create: accounts and limits', () => {
  let h: H;
  before(async () => { h = await makeHarness({ maxUploadBytes: 4096 }); });
  after(async () => { await h.close(); });
  const png = () => multipart({ image_file: { filename: 'a.png', content: TINY_PNG } });

  it('401 without a key, with an unknown key and with a disabled key', async () => {
    const b = png();
    const none = await h.app.inject({ method: 'POST', url: TASKS, headers: b.headers, payload: b.payload });
    assert.equal(none.statusCode, 401);
    assert.deepEqual(Object.keys(none.json()).sort(), ['data', 'message', 'status']);
    assert.equal(none.json().status, 401);
    const wrong = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': 'docr_nope' }, payload: b.payload });
    assert.equal(wrong.statusCode, 401);
    const key = await h.key(5);
    const rec = await h.record(key);
    await h.store.updateKey(rec.id, { disabled: true });
    const disabled = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload });
    assert.equal(disabled.statusCode, 401);
    assert.match(disabled.json().message, /disabled/);
  });

  it('402 "insufficient credits" once credits are spent, with no task made', async () => {
    const key = await h.key(2);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const b = png();
      const res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload });
      codes.push(res.statusCode);
      if (res.statusCode === 402) assert.deepEqual(res.json(), { status: 402, message: 'insufficient credits', data: {} });
    }
    assert.deepEqual(codes, [200, 200, 402, 402]);
  });

  it('413 for an upload over the cap, partial upload removed, no credit taken', async () => {
    const key = await h.key(3);
    const b = multipart({ image_file: { filename: 'big.bin', content: Buffer.alloc(10_000, 1) } });
    const res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload });
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().status, 413);
    const files = await h.blobs.list('inputs/');
    const owned = (await Promise.all(files.map(async (k) => (await h.store.get(k.slice(7)))?.id))).filter(Boolean);
    assert.equal(files.length, owned.length, 'every stored input belongs to a task');
    const rec = await h.record(key);
    assert.equal(rec.credits, 3);
  });

  it('429 with Retry-After when a burst exceeds the key\'s QPS', async () => {
    const key = await h.key(100, 2);
    const results = await Promise.all([0, 1, 2, 3, 4].map(() => {
      const b = png();
      return h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload });
    }));
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [200, 200, 429, 429, 429]);
    const limited = results.find((r) => r.statusCode === 429)!;
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal(limited.json().status, 429);
    const rec = await h.record(key);
    assert.equal(rec.credits, 98, 'only the accepted creates were charged');
    h.clock.advance(1000);
    const b = png();
    const again = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload });
    assert.equal(again.statusCode, 200, 'the bucket refills with time');
  });

  it('404 in the same envelope for unknown routes', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/nothing' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().status, 404);
  });
});
