/**
 * The engine pool tells the instances at work how many of its cores are idle for each
 * (OcrEngine.setSpareThreads): a lone page on a 2-core pool may use the second core, two
 * pages at once may not, and the page left running when the other ends gets the core back.
 * A recording engine (above the OcrEngine port) runs inline, so the calls are seen directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecognizer } from '../../src/engines/index.js';
import { emptyPage } from '../../src/domain/ocr-tree.js';
import type { EngineDescriptor, OcrEngine, PageImage } from '../../src/ports/ocr-engine.js';

function recordingEngines() {
  const told: number[][] = [];
  const release: Array<() => void> = [];
  const descriptor: EngineDescriptor = {
    id: 'recording',
    covers: () => true,
    async create(): Promise<OcrEngine> {
      const mine: number[] = [];
      told.push(mine);
      return {
        id: 'recording',
        async recognize(image) {
          await new Promise<void>((r) => release.push(r));
          return emptyPage(image.index, image.width, image.height, image.dpi);
        },
        setSpareThreads: (n) => { mine.push(n); },
        close: async () => undefined,
      };
    },
  };
  return { descriptor, told, release };
}

const image = (index: number): PageImage => ({ data: Buffer.alloc(4), width: 10, height: 10, dpi: 300, index });
/** Waits (up to 5 s) until `ok()` holds: the calls reach the engine asynchronously. */
async function until(ok: () => boolean): Promise<void> {
  for (let t = 0; t < 500 && !ok(); t++) await new Promise((r) => setTimeout(r, 10));
}

test('a lone page is told of the idle core; two pages at once are told none; the last one left gets it back', async () => {
  const { descriptor, told, release } = recordingEngines();
  const r = createRecognizer({ workers: 2, descriptors: [descriptor], isolation: 'thread' });
  try {
    const first = r.recognize(image(1), { languages: ['English'] });
    await until(() => told[0]?.length === 1);
    assert.deepEqual(told, [[1]]);
    const second = r.recognize(image(2), { languages: ['English'] });
    await until(() => told[0].length === 2);
    // The second instance is made at 0 (the default): it is told nothing until that changes.
    assert.deepEqual(told, [[1, 0], []]);
    await until(() => release.length === 2);
    release.shift()!(); // page 1 ends; page 2 is alone now
    await first;
    await until(() => told[1].length === 1);
    assert.deepEqual(told[1], [1]);
    release.shift()!();
    await second;
  } finally {
    await r.close();
  }
});

test('a one-core pool never offers a spare core', async () => {
  const { descriptor, told, release } = recordingEngines();
  const r = createRecognizer({ workers: 1, descriptors: [descriptor] });
  try {
    const page = r.recognize(image(1), { languages: ['English'] });
    await until(() => release.length === 1);
    assert.deepEqual(told, [[]]);
    release.shift()!();
    await page;
  } finally {
    await r.close();
  }
});
