/**
 * Passwords at rest (issue 13): a task's password is sealed before it is stored, opened only
 * by the pipeline, removed from the row when the task ends (success, failure, cancel), and
 * never written to the database file, the logs, /metrics or an error message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApiKey } from '../../src/app/keys.js';
import { startServe } from '../../src/composition/serve.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { createSecretBox } from '../../src/platform/secret-box.js';
import { corpusPath } from '../fixtures/corpus.js';
import { multipart } from './http-harness.js';

const RIGHT = 'asdfzxcv'; // the corpus file's user password
const WRONG = 'Wr0ng-Secret-Zq9';
const CANCELLED = 'Cancel-Secret-Kx7';

test('the database file, logs, /metrics and errors hold no task password once its task ended', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-password-'));
  const lines: string[] = [];
  const config = loadConfig({}, ['--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1', '--workers', '1', '--log-level', 'silent']);
  const docr = await startServe(config, { log: createLogger('debug', {}, (l) => lines.push(l)) });
  try {
    const { key } = await createApiKey(docr.store, { now: () => Date.now() }, { credits: 10, qps: 100, name: 'password-test' });
    const pdf = fs.readFileSync(corpusPath('pdf/pypdf_r2-user-password.pdf'));
    const create = async (password: string, sync: boolean) => {
      const body = multipart({ image_file: { filename: 'locked.pdf', content: pdf }, password, format: 'txt', language: 'English', sync: sync ? '1' : '0' });
      const res = await docr.app.inject({ method: 'POST', url: '/api/tasks/document/ocr', headers: { 'x-api-key': key, ...body.headers }, payload: body.payload });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { data: { task_id: string; state?: number } }).data;
    };
    const query = async (id: string) => {
      const res = await docr.app.inject({ method: 'GET', url: `/api/tasks/document/ocr/${id}`, headers: { 'x-api-key': key } });
      return (res.json() as { data: { state: number; err_message?: string } }).data;
    };
    const settled = async (id: string) => {
      for (let i = 0; i < 600; i++) {
        const d = await query(id);
        if (d.state === 1 || d.state < 0) return d;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`task ${id} did not end`);
    };

    const cancelled = await create(CANCELLED, false);
    const del = await docr.app.inject({ method: 'DELETE', url: `/api/tasks/document/ocr/${cancelled.task_id}`, headers: { 'x-api-key': key } });
    assert.ok([200, 409].includes(del.statusCode), del.body);
    const ok = await settled((await create(RIGHT, false)).task_id);
    assert.equal(ok.state, 1, JSON.stringify(ok));
    const wrong = await settled((await create(WRONG, false)).task_id);
    assert.equal(wrong.state, -7);
    assert.ok(!JSON.stringify(wrong).includes(WRONG), 'the error message names the password');
    await settled(cancelled.task_id);

    const metrics = await docr.app.inject({ method: 'GET', url: '/metrics' });
    for (const p of [RIGHT, WRONG, CANCELLED]) assert.ok(!metrics.body.includes(p), `/metrics shows ${p}`);
    assert.match(metrics.body, /^docr_tasks_finished_total\{state="1",code="none"\} 1$/m, 'the worker reports into the server\'s /metrics');
  } finally {
    await docr.close();
  }
  const files = fs.readdirSync(dataDir).filter((f) => f.startsWith('docr.db'));
  assert.ok(files.includes('docr.db'));
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(dataDir, f));
    for (const p of [RIGHT, WRONG, CANCELLED]) assert.equal(bytes.indexOf(p), -1, `${f} holds the password ${p}`);
    assert.equal(bytes.indexOf('sealedPassword'), -1, `${f} still holds a sealed password`);
  }
  const log = lines.join('');
  assert.ok(log.length > 0, 'the worker logged');
  for (const p of [RIGHT, WRONG, CANCELLED]) assert.ok(!log.includes(p), `the log shows ${p}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a sealed password opens only with the same secret and the same task id', () => {
  const box = createSecretBox('a-server-secret-of-enough-length');
  const sealed = box.seal(RIGHT, 'task-1');
  assert.ok(!sealed.includes(RIGHT));
  assert.notEqual(box.seal(RIGHT, 'task-1'), sealed, 'a fresh IV every time');
  assert.equal(box.open(sealed, 'task-1'), RIGHT);
  assert.throws(() => box.open(sealed, 'task-2'), /cannot be decrypted/);
  assert.throws(() => createSecretBox('another-server-secret-here').open(sealed, 'task-1'), (e: Error) => /cannot be decrypted/.test(e.message) && !e.message.includes(RIGHT));
});
