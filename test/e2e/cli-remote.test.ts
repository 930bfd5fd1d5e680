/**
 * `docr ocr FILE... --server URL --key KEY` against a live docr: the text on stdout, binary
 * results written, the key from DOCR_API_KEY, progress lines per file on a pipe, and the
 * server's own message with a non-zero exit on failure.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cer } from '../../bench/lib/cer.js';
import { CORPUS, ROOT, startDocr, type LiveDocr } from './live-docr.js';

const IMAGE = path.join(CORPUS, 'images-en/ocropy_0079-01000d.png');
const TRUTH = fs.readFileSync(path.join(CORPUS, 'images-en/ocropy_0079-01000d.gt.txt'), 'utf8');
const LOCKED_PDF = path.join(CORPUS, 'pdf/pypdf_r2-user-password.pdf');

function docrOcr(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/docr'), 'ocr', ...args], { env: { ...process.env, DOCR_API_KEY: '', ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('docr ocr --server against a live docr', { timeout: 240_000 }, () => {
  let docr: LiveDocr;
  let key: string;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-cli-remote-'));
  before(async () => {
    docr = await startDocr();
    ({ key } = await docr.makeKey(20));
  });
  after(async () => {
    const code = await docr.stop('SIGTERM');
    fs.rmSync(docr.dataDir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
    assert.equal(code, 0, docr.log());
  });

  it('prints the text, with a plain progress line per state change on a pipe', async () => {
    const r = await docrOcr([IMAGE, '--server', docr.base, '--key', key, '-l', 'English']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(cer(r.stdout, TRUTH) < 0.1, r.stdout);
    const name = IMAGE;
    assert.match(r.stderr, new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: done\\n`));
    assert.ok(!/\x1b|\r/.test(r.stderr), 'no terminal control characters on a pipe');
  });

  it('takes the key from DOCR_API_KEY and writes binary results under -o', async () => {
    const r = await docrOcr([IMAGE, LOCKED_PDF, '--server', docr.base, '-f', 'pdf', '-p', 'asdfzxcv', '-o', out, '-q'], { DOCR_API_KEY: key });
    assert.equal(r.code, 0, r.stderr);
    for (const stem of ['ocropy_0079-01000d', 'pypdf_r2-user-password']) {
      assert.equal(fs.readFileSync(path.join(out, `${stem}.pdf`)).subarray(0, 5).toString(), '%PDF-');
    }
    assert.doesNotMatch(r.stderr, /: (queued|done)/, '-q shows no progress');
  });

  it('fails with the server\'s message: wrong key, bad language, wrong password, no key', async () => {
    const wrongKey = await docrOcr([IMAGE, '--server', docr.base, '--key', 'docr_not-a-key']);
    assert.notEqual(wrongKey.code, 0);
    assert.match(wrongKey.stderr, /docr ocr: .*ocropy_0079-01000d\.png: .*(key|API)/i);
    const badLanguage = await docrOcr([IMAGE, '--server', docr.base, '--key', key, '-l', 'Klingon']);
    assert.equal(badLanguage.code, 2);
    assert.match(badLanguage.stderr, /Klingon/);
    const wrongPassword = await docrOcr([LOCKED_PDF, '--server', docr.base, '--key', key, '-p', 'wrong-password-123']);
    assert.equal(wrongPassword.code, 3);
    assert.match(wrongPassword.stderr, /The password given for the PDF is wrong/);
    const noKey = await docrOcr([IMAGE, '--server', docr.base]);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /DOCR_API_KEY/);
  });
});
