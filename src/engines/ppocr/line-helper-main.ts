/**
 * A line helper thread (line-helper.ts): its own recogniser session reads a page's lines from
 * the last one backwards while the engine's thread reads them from the first, each claiming a
 * line in the shared `claims` array before reading it, until they meet or helping is switched
 * off (`enabled`, set by the engine as the pool's idle cores come and go: switched off, it waits
 * for the next idle core, as a long page may outlast the other engine's pages) or the page ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRecogniser, type Precision } from './models.js';
import { recogniseBox } from './recognise.js';
import { segmentText } from './words.js';
import { HELPER, type HelperData, type HelperPage, type HelperReply } from './line-helper-protocol.js';

const port = parentPort!;
const data = workerData as HelperData;
const rec = await loadRecogniser({ threads: 1, modelDir: data.modelDir, precision: data.precision as Precision });
const enabled = new Int32Array(data.enabled);
// Node 20 has Atomics.waitAsync (V8); TypeScript's lib declares it from es2024 on.
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { value: Promise<string> | string } }).waitAsync;

async function help(m: HelperPage): Promise<void> {
  const claims = new Int32Array(m.claims);
  const raster = { data: new Uint8Array(m.raster), width: m.width, height: m.height };
  const stopped = () => Atomics.load(claims, m.boxes.length) !== 0;
  for (let i = m.boxes.length - 1; i >= 0; i--) {
    // Switched off: wait until a core is idle again (the other engine ran out of pages) or the page ends.
    while (Atomics.load(enabled, 0) === 0 && !stopped()) await waitAsync(enabled, 0, 0).value;
    if (stopped()) break;
    if (Atomics.compareExchange(claims, i, 0, HELPER) !== 0) break; // the engine's thread got here first
    try {
      const text = segmentText(await recogniseBox(rec, raster, m.boxes[i], data.charset, m.mask));
      port.postMessage({ page: m.page, index: i, text } satisfies HelperReply);
    } catch (e) {
      port.postMessage({ page: m.page, index: i, error: String((e as Error)?.message ?? e) } satisfies HelperReply);
    }
  }
}

// Pages one after another: a page's lines are all claimed before the next page is sent.
let queue = Promise.resolve();
port.on('message', (m: HelperPage) => { queue = queue.then(() => help(m)); });
port.postMessage({ ready: true } satisfies HelperReply);
