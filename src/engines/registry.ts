/**
 * The one explicit list of recognition engines, in order of preference: the router picks
 * the first that covers a task's language set. PP-OCR first (the measured best for
 * Chinese/English/digits), Tesseract second (every other installed language).
 *
 * Each entry is exported under its own name and points `source` at this module, so a pool
 * worker thread builds exactly this descriptor (with the pool's thread count) by importing it.
 */
import { DocrError } from '../domain/errors.js';
import type { EngineDescriptor } from '../ports/ocr-engine.js';
import { createPpocrEngine, ppocrDescriptor } from './ppocr/index.js';
import { tesseractDescriptor } from './tesseract/index.js';

export const ppocrEngine: EngineDescriptor = {
  ...ppocrDescriptor,
  create: (options) => createPpocrEngine({ threads: options?.threads ?? 1 }),
  source: { module: import.meta.url, export: 'ppocrEngine' },
};

export const tesseractEngine: EngineDescriptor = {
  ...tesseractDescriptor,
  source: { module: import.meta.url, export: 'tesseractEngine' },
};

export const ENGINE_DESCRIPTORS: readonly EngineDescriptor[] = [ppocrEngine, tesseractEngine];

export function engineIds(): string[] {
  return ENGINE_DESCRIPTORS.map((d) => d.id);
}

/** The descriptor with this id; an unknown id fails listing the known ones. */
export function engineDescriptor(id: string): EngineDescriptor {
  const d = ENGINE_DESCRIPTORS.find((x) => x.id === id);
  if (!d) throw new DocrError('BAD_PARAMETER', `Unknown engine "${id}": known engines are ${engineIds().join(', ')}.`, { field: 'engine', value: id });
  return d;
}
