/**
 * language=auto on pages made here (not in the corpus): each page's script is found and the
 * page read with its language (Chinese and English on PP-OCR, the others on Tesseract), and
 * what was found is reported on the page (format=json), on the task and in its query body.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { cer } from '../../bench/lib/cer.js';
import { createLocalJobQueue } from '../../src/adapters/job-queue-local/index.js';
import { toQueryBody } from '../../src/contract/query-body.js';
import { createRecognizer, installedLanguageNames, validateLanguages } from '../../src/engines/index.js';
import { createNormaliser } from '../../src/normalisers/index.js';
import type { Recognizer } from '../../src/ports/ocr-engine.js';
import type { Notifier } from '../../src/ports/notifier.js';
import { createRenderers } from '../../src/renderers/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { startWorker } from '../../src/worker/index.js';
import { pageImage, renderLine, renderPage } from '../fixtures/rendered-text.js';
import { createEnv } from '../unit/pipeline-fakes.js';

process.env.OMP_THREAD_LIMIT ??= '1';
let recognizer: Recognizer;
before(async () => { await installedLanguageNames(); recognizer = createRecognizer({ workers: 1 }); });
after(async () => { await recognizer?.close(); });

const RUSSIAN = ['Славянские языки образуют большую семью', 'Москва является столицей России и её', 'крупнейшим городом с богатой историей', 'В городе много музеев театров и парков'];

test('auto is accepted alone only', () => {
  assert.deepEqual(validateLanguages('auto'), ['auto']);
  assert.throws(() => validateLanguages('auto,English'), /alone/);
});

test('each line is read in its own script: Russian, Greek, Korean, Chinese, English', async () => {
  const cases: [string, string, string][] = [
    ['Москва является столицей России', 'Liberation Serif', 'Russian'],
    ['Η Αθήνα είναι η πρωτεύουσα της Ελλάδας', 'DejaVu Serif', 'Greek'],
    ['서울은 대한민국의 수도입니다', 'Noto Sans CJK KR', 'Korean'],
    ['北京是中华人民共和国的首都', 'Noto Sans CJK SC', 'ChinesePRC'],
    ['The quick brown fox jumps over the lazy dog', 'Liberation Serif', 'English'],
  ];
  for (const [text, font, language] of cases) {
    const page = await recognizer.recognize(await pageImage(await renderLine(text, font, 44)), { languages: ['auto'] });
    assert.equal(page.languages?.[0], language, `${text}: ${JSON.stringify(page.languages)}`);
    const read = renderTxt({ pages: [page], languages: page.languages! });
    assert.ok(cer(read, text) < 0.1, `${language}: CER ${cer(read, text)}: ${read}`);
  }
});

test('a Russian page through the worker: languages_detected on the task, its query body and in format=json', async () => {
  const env = await createEnv();
  const normaliser = createNormaliser();
  const queue = createLocalJobQueue();
  const noCallbacks: Notifier = { deliver: async () => ({ attempts: 0, delivered: false }) };
  const w = startWorker({
    ...env.deps(), analyseLayout: undefined, normaliser, recognizer, renderers: createRenderers(), queue, notifier: noCallbacks,
    options: { concurrency: 1, processingTimeoutMs: 120_000, leaseMs: 30_000, maxAttempts: 3, workDir: env.limits().workRoot, urlMaxBytes: 1 << 20 },
  });
  try {
    await w.ready;
    const png = await renderPage(1400, 500, RUSSIAN.map((t, i) => ({ text: t, x: 60, y: 60 + i * 90, size: 44, font: 'Liberation Serif' })));
    const task = await env.addTask({ options: { languages: ['auto'], format: 'json', sync: false } });
    await env.blobs.put(`inputs/${task.id}`, Readable.from(png));
    await queue.enqueue(task.id);
    let t = await env.store.get(task.id);
    for (let i = 0; i < 2400 && t && t.state !== 1 && t.state >= 0; i++) { await new Promise((r) => setTimeout(r, 50)); t = await env.store.get(task.id); }
    assert.equal(t?.state, 1, t?.errorMessage);
    assert.deepEqual(t!.languagesDetected, ['Russian']);
    assert.deepEqual(toQueryBody(t!).data.languages_detected, ['Russian']);
    const chunks: Buffer[] = [];
    for await (const c of (await env.blobs.get(t!.resultKey!))!) chunks.push(c as Buffer);
    const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { pages: { languages?: string[]; blocks: { lines: { text: string }[] }[] }[] };
    assert.deepEqual(json.pages[0].languages, ['Russian']);
    const text = json.pages[0].blocks.flatMap((b) => b.lines.map((l) => l.text)).join('\n');
    assert.ok(cer(text, RUSSIAN.join('\n')) < 0.05, text);
  } finally {
    await w.stop(5000);
    await normaliser.close();
    await env.close();
  }
});
