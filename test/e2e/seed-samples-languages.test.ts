/**
 * The vendor's Node, PHP, Java and Go samples (test/data/seeds/001_*.txt), every section of
 * the page — image_url and image_file, polling and callback — run against a live docr with
 * only a user's edits (samples/languages.ts says which): the sample creates the task, polls
 * to the end or docr calls back, and the result URL serves the text. Where the page has a
 * callback handler (PHP, Go), it is fed the body docr posted. Python's image_url + callback
 * sample is here too (its other sections are in seed-samples.test.ts).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cer } from '../../bench/lib/cer.js';
import { CORPUS, startDocr, type LiveDocr } from './live-docr.js';
import { JAVA, NODE, PHP, PYTHON, goLanguage, type Language, type Places, type SampleRun } from './samples/languages.js';
import { serveImageOnPort80, startCallbackReceiver, type CallbackReceiver, type ImageServer } from './samples/peers.js';
import { SECTIONS, isCallbackSection, isUrlSection, type SectionName } from './samples/seed-sections.js';

const IMAGE = path.join(CORPUS, 'images-en/ocropy_0079-01000d.png');
const TRUTH = fs.readFileSync(path.join(CORPUS, 'images-en/ocropy_0079-01000d.gt.txt'), 'utf8');

/** The result URL a sample printed, in whatever notation the language prints strings (Java's org.json writes `\/`). */
function resultUrlIn(output: string): string | undefined {
  const m = /https?:\\?\/\\?\/[^\s"'}]*?\\?\/api\\?\/results\\?\/[^\s"'}]+/.exec(output);
  return m?.[0].replaceAll('\\/', '/');
}

async function expectGoodText(url: string) {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  const text = await res.text();
  assert.ok(cer(text, TRUTH) < 0.1, `CER too high for: ${text}`);
}

/**
 * The Go image_file + polling sample writes the `format` field between creating the file
 * part and copying the file into it, which ends the part: Go's multipart writer refuses the
 * copy and the upload carries an empty file, on any server. docr's answer must say so.
 */
const SENDS_AN_EMPTY_FILE = 'Go-file-polling';

const shown = (run: SampleRun) => `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

describe('the vendor samples in more languages against a live docr', { timeout: 600_000 }, () => {
  let docr: LiveDocr;
  let receiver: CallbackReceiver;
  let images: ImageServer | undefined;
  let key: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-samples-'));
  const GO = goLanguage(path.join(work, 'go-cache'));

  before(async () => {
    docr = await startDocr(['--allow-private-urls']);
    ({ key } = await docr.makeKey(200));
    receiver = await startCallbackReceiver();
    images = await serveImageOnPort80(IMAGE);
  });
  after(async () => {
    await images?.close();
    await receiver?.close();
    const code = await docr.stop('SIGTERM');
    fs.rmSync(docr.dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
    assert.equal(code, 0, `docr did not exit cleanly on SIGTERM:\n${docr.log()}`);
  });

  const cases: [Language, SectionName][] = [
    ...[NODE, PHP, JAVA, GO].flatMap((lang) => SECTIONS.map((s): [Language, SectionName] => [lang, s])),
    [PYTHON, 'url-callback'],
  ];
  for (const [lang, section] of cases) {
    it(`${lang.name}, ${section}`, async (t) => {
      if (isUrlSection(section) && !images) { t.skip('port 80 cannot be bound here: image_url takes no other port'); return; }
      const name = `${lang.name}-${section}`;
      const dir = path.join(work, name);
      const places: Places = { base: docr.base, key, image: IMAGE, imageUrl: images?.url ?? '', callbackUrl: receiver.urlFor(name) };
      const run = await lang.run(section, places, dir);

      if (name === SENDS_AN_EMPTY_FILE) {
        assert.equal(run.code, 0, shown(run));
        // A task that ends in -7 naming the empty file (or, should create refuse it, a 400).
        assert.match(run.stdout, /result &\{200 The file is empty \(0 bytes\)[^\n]* -7 |Error creating task: error task id/, shown(run));
        return;
      }
      if (!isCallbackSection(section)) {
        assert.equal(run.code, 0, shown(run));
        const url = resultUrlIn(run.stdout);
        assert.ok(url, `the sample printed no result URL:\n${shown(run)}`);
        await expectGoodText(url);
        return;
      }
      const delivery = await receiver.next(name);
      const posted = JSON.parse(delivery.body);
      assert.equal(posted.status, 200, delivery.body);
      assert.equal(posted.data.state, 1, delivery.body);
      if (lang === PHP) assert.equal(run.stdout, '', `the PHP sample prints only on failure:\n${shown(run)}`);
      // The Node samples throw after printing, success or not (`throw` follows the `if`).
      else assert.ok(run.stdout.includes(posted.data.task_id), `the sample did not print its task id:\n${shown(run)}`);
      if (lang.handle) {
        const handled = await lang.handle(section, delivery.body, path.join(dir, 'handler'));
        assert.equal(handled.code, 0, shown(handled));
        assert.ok(handled.stdout.includes(posted.data.file), `the callback handler did not read the file URL:\n${shown(handled)}`);
      }
      await expectGoodText(posted.data.file);
    });
  }
});
