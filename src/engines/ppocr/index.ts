/**
 * PP-OCRv4 (PaddleOCR) on ONNX Runtime: docr's default engine for ChinesePRC, English and Digits.
 */
import os from 'node:os';
import type { EngineDescriptor, OcrEngine } from '../../ports/ocr-engine.js';
import { DocrError } from '../../domain/errors.js';
import type { PpocrOptions } from './engine.js';
import type { Precision } from './models.js';
import { policyModeFromEnv } from './engine-policy.js';

export type { PpocrOptions } from './engine.js';

/** The API language names this engine reads. */
export const PPOCR_LANGUAGES: ReadonlySet<string> = new Set(['ChinesePRC', 'English', 'Digits']);

/**
 * DOCR_PPOCR_PRECISION=int8|float|auto (default auto: int8 where the CPU has AVX2) chooses the
 * recogniser's arithmetic for every engine the process starts, pool worker threads included.
 */
function precisionFromEnv(): Precision {
  const v = process.env.DOCR_PPOCR_PRECISION?.trim().toLowerCase();
  if (!v || v === 'auto') return 'auto';
  if (v === 'int8' || v === 'float') return v;
  throw new DocrError('ENGINE_FAILED', `DOCR_PPOCR_PRECISION must be int8, float or auto, not "${v}".`);
}

/** The engine's code (ONNX Runtime, the models) is loaded here, in the thread that runs it, not where the descriptor is listed. */
export async function createPpocrEngine(options: PpocrOptions = {}): Promise<OcrEngine> {
  const { PpocrEngine } = await import('./engine.js');
  return PpocrEngine.create({ precision: precisionFromEnv(), policy: policyModeFromEnv(), ...options });
}

export const ppocrDescriptor: EngineDescriptor = {
  id: 'ppocr',
  covers: (languages) => languages.length > 0 && languages.every((l) => PPOCR_LANGUAGES.has(l)),
  create: (options) => createPpocrEngine({ threads: options?.threads ?? Math.min(2, os.availableParallelism()) }),
};
