/**
 * PP-OCRv4 (PaddleOCR) on ONNX Runtime: docr's default engine for ChinesePRC, English and Digits.
 */
import os from 'node:os';
import type { EngineDescriptor, OcrEngine } from '../../ports/ocr-engine.js';
import { PpocrEngine, type PpocrOptions } from './engine.js';

export type { PpocrOptions } from './engine.js';

/** The API language names this engine reads. */
export const PPOCR_LANGUAGES: ReadonlySet<string> = new Set(['ChinesePRC', 'English', 'Digits']);

export function createPpocrEngine(options: PpocrOptions = {}): Promise<OcrEngine> {
  return PpocrEngine.create(options);
}

export const ppocrDescriptor: EngineDescriptor = {
  id: 'ppocr',
  covers: (languages) => languages.length > 0 && languages.every((l) => PPOCR_LANGUAGES.has(l)),
  create: (options) => createPpocrEngine({ threads: options?.threads ?? Math.min(2, os.availableParallelism()) }),
};
