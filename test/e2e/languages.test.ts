/**
 * Languages beyond the setup's, as a user meets them: `docr languages install` installs a
 * model, a live docr reads with it (a Devanagari line as Hindi, a Thai line as Tesseract
 * itself reads it) and notices a model that appears while it runs; a name whose model is
 * missing is a 400 with the command that installs it. The live docr gets its own model folder
 * (TESSDATA_PREFIX) so that "missing" and "installed while running" are real on any machine.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cer } from '../../bench/lib/cer.js';
import { renderLine } from '../fixtures/rendered-text.js';
import { createFileTask, waitFinal, type Endpoint } from './support/client.js';
import { ROOT, startDocr, type LiveDocr } from './live-docr.js';

const run = promisify(execFile);
const DOCR = path.join(ROOT, 'bin/docr');
const HINDI = 'भारत एक विशाल देश है और हिंदी इसकी प्रमुख भाषा है';
const THAI = 'ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรค ประโยคนี้มี Bangkok 2024 อยู่ด้วย';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-langs-'));
const tessdata = path.join(work, 'tessdata');
let systemTessdata = '';
let docr: LiveDocr;
let live: Endpoint;

/** Makes a model of the system folder visible in the live docr's folder, as an install would. */
const link = (code: string) => fs.symlinkSync(path.join(systemTessdata, `${code}.traineddata`), path.join(tessdata, `${code}.traineddata`));

before(async () => {
  const { stdout, stderr } = await run(process.execPath, [DOCR, 'languages', 'install', 'Hindi', 'Thai'], { timeout: 20 * 60_000 });
  assert.match(stdout + stderr, /installed: .*Hindi/);
  systemTessdata = /"([^"]+)"/.exec((await run('tesseract', ['--list-langs'])).stdout)![1];
  fs.mkdirSync(tessdata);
  for (const code of ['eng', 'osd']) link(code);
  fs.symlinkSync(path.join(systemTessdata, 'configs'), path.join(tessdata, 'configs')); // Tesseract's tsv and txt output settings
  docr = await startDocr([], path.join(work, 'data'), { TESSDATA_PREFIX: tessdata });
  live = { baseUrl: docr.base, apiKey: (await docr.makeKey(100)).key };
});
after(async () => {
  await docr?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

async function readAs(file: string, language: string): Promise<{ status: number; message: string; text?: string }> {
  const created = await createFileTask(live, file, { language, format: 'txt' });
  if (created.status !== 200) return created;
  const end = await waitFinal(live, created.data.task_id!);
  assert.equal(end.state, 1, end.message);
  return { status: 200, message: end.message, text: await (await fetch(end.file!)).text() };
}

test('`docr languages` lists the names and which are installed', async () => {
  const { stdout } = await run(process.execPath, [DOCR, 'languages', '--json']);
  const rows = JSON.parse(stdout) as { name: string; installed: boolean; package: string }[];
  assert.ok(rows.find((r) => r.name === 'Hindi')?.installed);
  assert.equal(rows.find((r) => r.name === 'Tamil')?.package, 'tesseract-ocr-tam');
  assert.ok(rows.length > 150);
});

test('a model missing is a 400 with the install command; installed while docr runs, it reads a Devanagari line', async () => {
  const line = path.join(work, 'hindi.png');
  fs.writeFileSync(line, await renderLine(HINDI, 'FreeSerif'));
  const missing = await readAs(line, 'Hindi');
  assert.equal(missing.status, 400);
  assert.match(missing.message, /`docr languages install Hindi`/);
  const unknown = await readAs(line, 'Hindu');
  assert.equal(unknown.status, 400);
  assert.match(unknown.message, /"Hindu"/);

  link('hin');
  let read = await readAs(line, 'Hindi');
  for (let i = 0; i < 20 && read.status === 400; i++) {
    await new Promise((r) => setTimeout(r, 500));
    read = await readAs(line, 'Hindi');
  }
  assert.equal(read.status, 200, read.message);
  assert.ok(cer(read.text!, HINDI) < 0.05, `CER ${cer(read.text!, HINDI)}: ${read.text}`);
});

test("a Thai line scores the CER of Tesseract's own text for it (no spaces between Thai words)", async () => {
  link('tha');
  await new Promise((r) => setTimeout(r, 2500));
  const line = path.join(work, 'thai.png');
  fs.writeFileSync(line, await renderLine(THAI, 'FreeSerif'));
  const read = await readAs(line, 'Thai');
  assert.equal(read.status, 200, read.message);
  const own = (await run('tesseract', [line, '-', '-l', 'tha', '--psm', '1'], { env: { ...process.env, OMP_THREAD_LIMIT: '1', TESSDATA_PREFIX: tessdata } })).stdout;
  const docrCer = cer(read.text!, THAI), tesseractCer = cer(own, THAI);
  assert.ok(docrCer <= tesseractCer + 0.005, `docr ${docrCer} (${read.text}) vs Tesseract ${tesseractCer} (${own})`);
  assert.ok(docrCer < 0.15, `CER ${docrCer}: ${read.text}`);
});
