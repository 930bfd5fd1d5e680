/** Messages between the engine pool (parent thread) and one engine worker thread. */
import type { Page } from '../../domain/ocr-tree.js';

export interface WorkerConfig {
  /** File URL of the module exporting the descriptor, and the export's name. */
  module: string;
  export: string;
  threads?: number;
}

export interface SerialisedError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export type ToWorker =
  | { type: 'page'; id: number; data: Uint8Array; width: number; height: number; dpi: number; index: number; languages: string[] }
  | { type: 'abort'; id: number }
  /** The pool's idle cores this instance may use now (OcrEngine.setSpareThreads). */
  | { type: 'spare'; threads: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-failed'; error: SerialisedError }
  | { type: 'done'; id: number; page: Page }
  | { type: 'failed'; id: number; error: SerialisedError };
