/** Messages between an engine and its line helper thread (line-helper.ts). */
import type { OrientedBox } from './geometry.js';
import type { SegmentText } from './words.js';

/** A claim by the engine's own thread, and by the helper. */
export const ENGINE = 1, HELPER = 2;

export interface HelperData {
  modelDir?: string;
  precision: string;
  charset: readonly string[];
  /** Int32Array(1) over it: 1 while the helper may claim lines, 0 when the pool has no idle core. */
  enabled: SharedArrayBuffer;
}

export interface HelperPage {
  page: number;
  /** The page's RGB raster, shared (read only). */
  raster: SharedArrayBuffer;
  width: number;
  height: number;
  /** The lines' reading boxes, in the engine's order. */
  boxes: OrientedBox[];
  mask?: Uint8Array;
  /** Int32Array(boxes + 1): per line 0, ENGINE or HELPER; the last cell is 1 once the page is stopped. */
  claims: SharedArrayBuffer;
}

export type HelperReply =
  | { ready: true }
  | { page: number; index: number; text: SegmentText }
  | { page: number; index: number; error: string };
