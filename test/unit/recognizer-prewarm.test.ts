/** createRecognizer's prewarm for one call: one instance of the engine the languages route to, started before any page. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecognizer } from '../../src/engines/index.js';
import { emptyPage } from '../../src/domain/ocr-tree.js';
import type { EngineDescriptor } from '../../src/ports/ocr-engine.js';

function counting(id: string, language: string): EngineDescriptor & { created: number } {
  const d = {
    id, created: 0,
    covers: (languages: readonly string[]) => languages.every((l) => l === language),
    async create() {
      d.created++;
      return { id, recognize: async () => emptyPage(1, 1, 1, 300), async close() { /* nothing held */ } };
    },
  };
  return d;
}

test('prewarm {languages, instances: 1} starts one instance of the routed engine, not a whole pool', async () => {
  const welsh = counting('welsh-engine', 'Welsh'), maori = counting('maori-engine', 'Maori');
  const recognizer = createRecognizer({ workers: 2, descriptors: [welsh, maori], prewarm: { languages: ['Maori'], instances: 1 } });
  try {
    for (let i = 0; i < 50 && maori.created === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(maori.created, 1, 'one instance of the engine the languages route to');
    assert.equal(welsh.created, 0, 'no other engine');
    const page = await recognizer.recognize({ data: Buffer.alloc(0), width: 1, height: 1, dpi: 300, index: 1 }, { languages: ['Maori'] });
    assert.deepEqual(page.engine, { id: 'maori-engine', reason: 'languages Maori' });
    assert.equal(maori.created, 1, 'the first page used the warm instance');
  } finally {
    await recognizer.close();
  }
});
