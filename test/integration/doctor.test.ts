/** `docr doctor`: every dependency checked on this machine, and a missing one named with its fix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDoctorCommand } from '../../src/cli/doctor-command.js';
import type { CheckResult } from '../../src/cli/doctor/checks.js';

async function doctor(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; checks: CheckResult[] }> {
  const lines: string[] = [];
  const code = await runDoctorCommand(['--json', ...argv], env, (l) => lines.push(l));
  return { code, checks: (JSON.parse(lines.join('')) as { checks: CheckResult[] }).checks };
}

test('on a machine set up by npm run setup every check passes', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docr-doctor-'));
  try {
    const { code, checks } = await doctor(['--data-dir', dir], process.env);
    assert.deepEqual(checks.filter((c) => c.verdict !== 'ok'), []);
    assert.equal(code, 0);
    assert.deepEqual(checks.map((c) => c.name), ['Node.js', 'PP-OCR models and ONNX Runtime', 'Tesseract', 'Tesseract language packs', 'LibreOffice', 'qpdf', 'fonts (Office conversion, CJK)', 'data dir']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('missing programs and an unwritable data dir fail, each with the command that fixes it', async () => {
  const { code, checks } = await doctor(['--data-dir', '/dev/null/docr'], { ...process.env, PATH: '/nonexistent' });
  assert.equal(code, 1);
  const by = Object.fromEntries(checks.map((c) => [c.name, c]));
  assert.equal(by['Node.js'].verdict, 'ok');
  for (const [name, pkg] of [['Tesseract', 'tesseract-ocr'], ['Tesseract language packs', 'tesseract-ocr'], ['LibreOffice', 'libreoffice-writer-nogui'], ['qpdf', 'qpdf'], ['fonts (Office conversion, CJK)', 'fonts-noto-cjk']]) {
    assert.equal(by[name].verdict, 'fail', name);
    assert.match(by[name].fix ?? '', new RegExp(`apt-get install .*${pkg}`), name);
  }
  assert.equal(by['data dir'].verdict, 'fail');
  assert.match(by['data dir'].fix ?? '', /--data-dir/);
});
