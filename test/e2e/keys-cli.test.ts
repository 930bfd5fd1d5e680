/** `docr keys ...` as an operator runs it: create (--json), list, credits, disable/enable, errors. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './live-docr.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-keys-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function docr(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/docr'), ...args, '--data-dir', dataDir]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('docr keys', () => {
  it('creates, lists, changes credits, disables and enables keys', async () => {
    const created = await docr('keys', 'create', '--credits', '7', '--qps', '3', '--name', 'acme', '--json');
    assert.equal(created.code, 0, created.stderr);
    const line = JSON.parse(created.stdout.trim());
    assert.match(line.key, /^docr_/);
    assert.match(line.webhook_secret, /^whsec_/);
    assert.equal(line.credits, 7);
    assert.equal(line.qps, 3);

    const human = await docr('keys', 'create');
    assert.match(human.stdout, /key: +docr_/);
    assert.match(human.stdout, /webhook secret: +whsec_/);

    assert.equal((await docr('keys', 'credits', 'acme', '--add', '5')).code, 0);
    assert.equal((await docr('keys', 'disable', line.id)).code, 0);
    const listed = (await docr('keys', 'list', '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const acme = listed.find((k) => k.id === line.id);
    assert.equal(acme.credits, 12);
    assert.equal(acme.disabled, true);
    assert.equal(JSON.stringify(listed).includes(line.key), false, 'the key itself is never stored or shown again');
    assert.equal((await docr('keys', 'enable', 'acme')).code, 0);
    assert.equal((await docr('keys', 'credits', 'acme', '--set', '1', '--json')).stdout.trim(), JSON.stringify({ id: line.id, credits: 1 }));
  });

  it('exits 2 with a message for bad usage', async () => {
    const bad = await docr('keys', 'create', '--credits', 'lots');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--credits must be a number/);
    const unknown = await docr('keys', 'credits', 'nobody');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no key with id or name "nobody"/);
  });
});
