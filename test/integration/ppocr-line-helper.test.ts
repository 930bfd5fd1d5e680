/**
 * PP-OCR's line helper (src/engines/ppocr/line-helper.ts): while the pool has an idle core, a
 * helper thread reads a page's lines from the last one backwards as the engine reads from the
 * first. Every line must be read exactly once and the page's text must be what one thread
 * reads; a helper switched off takes no lines. Real models, a real 70-line scan.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createPpocrEngine } from '../../src/engines/ppocr/index.js';
import { loadModels, releaseModels, type ModelSet } from '../../src/engines/ppocr/models.js';
import { decodeRaster, type Raster } from '../../src/engines/ppocr/raster.js';
import { detectText } from '../../src/engines/ppocr/detect.js';
import { readingBox } from '../../src/engines/ppocr/crop.js';
import { recogniseBox } from '../../src/engines/ppocr/recognise.js';
import { segmentText, type SegmentText } from '../../src/engines/ppocr/words.js';
import { LineHelper } from '../../src/engines/ppocr/line-helper.js';
import type { OrientedBox } from '../../src/engines/ppocr/geometry.js';
import { pageLines } from '../../src/domain/ocr-tree.js';
import { CORPUS as corpus } from '../fixtures/corpus.js';

const SCAN = path.join(corpus, 'images-en/ocrmypdf_linn.png');
let models: ModelSet;
let raster: Raster;
let boxes: OrientedBox[];

before(async () => {
  models = await loadModels({ threads: 1 });
  raster = await decodeRaster(await readFile(SCAN));
  boxes = (await detectText(models.det, raster)).map(readingBox);
});
after(async () => { await releaseModels(models); });

function reader(calls: { n: number }, delayMs = 0) {
  return async (r: Raster, box: OrientedBox): Promise<SegmentText> => {
    calls.n++;
    if (delayMs) await new Promise((res) => setTimeout(res, delayMs));
    return segmentText(await recogniseBox(models.rec, r, box, models.charset));
  };
}

test('the helper reads some lines of the page, each line once, and the text is what one thread reads', async () => {
  assert.ok(boxes.length > 20, `${boxes.length} lines detected`);
  const alone = { n: 0 };
  const expected: SegmentText[] = [];
  for (const b of boxes) expected.push(await reader(alone)(raster, b));
  const helper = new LineHelper({ precision: 'auto', charset: models.charset });
  try {
    assert.equal(await helper.ready, true);
    helper.setEnabled(true);
    const own = { n: 0 };
    // The engine's thread is slowed down so the helper surely gets lines whatever the machine's load.
    const texts = await helper.readLines(raster, boxes, undefined, reader(own, 20), () => undefined);
    assert.ok(own.n > 0 && own.n < boxes.length, `the engine's thread read ${own.n} of ${boxes.length} lines`);
    assert.deepEqual(texts, expected);
    assert.equal(helper.pagesSent, 1);
    // Switched off (no idle core): the engine's thread reads every line, and the page (a copy
    // of its raster) is never sent to the helper.
    helper.setEnabled(false);
    const all = { n: 0 };
    assert.deepEqual(await helper.readLines(raster, boxes, undefined, reader(all), () => undefined), expected);
    assert.equal(all.n, boxes.length);
    assert.equal(helper.pagesSent, 1);
  } finally {
    await helper.close();
  }
});

test('a helper switched on in the middle of a page takes lines from then on', async () => {
  const helper = new LineHelper({ precision: 'auto', charset: models.charset });
  try {
    assert.equal(await helper.ready, true);
    const own = { n: 0 };
    const reading = helper.readLines(raster, boxes, undefined, reader(own, 20), () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(own.n > 0 && own.n < boxes.length / 2, `${own.n} lines read before the switch`);
    assert.equal(helper.pagesSent, 0);
    helper.setEnabled(true); // e.g. the other engine ran out of pages
    const texts = await reading;
    assert.ok(own.n < boxes.length, `the engine's thread read all ${own.n} lines`);
    assert.equal(texts.length, boxes.length);
    assert.deepEqual(texts, await Promise.all(boxes.map((b) => reader({ n: 0 })(raster, b))));
  } finally {
    await helper.close();
  }
});

test('a stopped page stops the helper too; the next page is read whole', async () => {
  const helper = new LineHelper({ precision: 'auto', charset: models.charset });
  try {
    await helper.ready;
    helper.setEnabled(true);
    let reads = 0;
    const stop = () => { if (reads >= 3) throw new Error('cancelled'); };
    await assert.rejects(helper.readLines(raster, boxes, undefined, async (r, b) => { reads++; return reader({ n: 0 })(r, b); }, stop), /cancelled/);
    const texts = await helper.readLines(raster, boxes.slice(0, 6), undefined, reader({ n: 0 }), () => undefined);
    assert.equal(texts.length, 6);
    assert.ok(texts.every((t) => typeof t.text === 'string'));
  } finally {
    await helper.close();
  }
});

test('an engine told of an idle core reads a page exactly as without it', async () => {
  const engine = await createPpocrEngine({ threads: 1 });
  try {
    const data = await readFile(SCAN);
    const meta = await sharp(data).metadata();
    const image = { data, width: meta.width!, height: meta.height!, dpi: 300, index: 1 };
    const before = await engine.recognize(image, { languages: ['English'] });
    engine.setSpareThreads?.(1);
    const helped = await engine.recognize(image, { languages: ['English'] });
    assert.deepEqual(pageLines(helped).map((l) => [l.text, l.box]), pageLines(before).map((l) => [l.text, l.box]));
  } finally {
    await engine.close();
  }
});
