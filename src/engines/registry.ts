/**
 * The one explicit list of recognition engines, in order of preference: the router picks
 * the first that covers a task's language set. PP-OCR first (the measured best for
 * Chinese/English/digits), Tesseract second (every other installed language).
 */
import { DocrError } from '../domain/errors.js';
import type { EngineDescriptor } from '../ports/ocr-engine.js';
import { tesseractDescriptor } from './tesseract/index.js';

/** Each descriptor with the location a worker thread imports it from. */
export const ENGINE_DESCRIPTORS: readonly EngineDescriptor[] = [
  { ...tesseractDescriptor, source: { module: new URL('./tesseract/index.ts', import.meta.url).href, export: 'tesseractDescriptor' } },
];

export function engineIds(): string[] {
  return ENGINE_DESCRIPTORS.map((d) => d.id);
}

/** The descriptor with this id; an unknown id fails listing the known ones. */
export function engineDescriptor(id: string): EngineDescriptor {
  const d = ENGINE_DESCRIPTORS.find((x) => x.id === id);
  if (!d) throw new DocrError('BAD_PARAMETER', `Unknown engine "${id}": known engines are ${engineIds().join(', ')}.`, { field: 'engine', value: id });
  return d;
}
