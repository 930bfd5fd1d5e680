/**
 * Setup step: builds the prepared PP-OCR graphs this CPU runs (folded; int8 where it has VNNI)
 * into the model cache (src/engines/ppocr/model-cache.ts), and ONNX Runtime's optimised forms
 * of them (session-cache.ts), so the first engine starts as fast as every later one. Quick
 * when they are already there.
 */
import { modelCacheDir } from '../src/engines/ppocr/model-cache.js';
import { prepareModels } from '../src/engines/ppocr/models.js';

const t0 = performance.now();
await prepareModels({ precision: (process.env.DOCR_PPOCR_PRECISION as 'auto' | 'int8' | 'float' | undefined) ?? 'auto' });
const ms = performance.now() - t0;
if (ms > 500) console.log(`setup: prepared the PP-OCR models in ${modelCacheDir()} (${(ms / 1000).toFixed(1)} s)`);
