/**
 * Prepared models on disk. Folding, quantising and adding heads to the PP-OCR graphs takes
 * about a second of CPU per engine (measured: fold det 0.35 s, fold rec 0.46 s, quantise rec
 * 0.35 s), which every engine paid at every start. Each prepared graph is now built once and
 * kept under the cache dir, named by a checksum of everything it is made from: the source
 * model's bytes, the recipe (which steps, the calibration ranges) and the source of the code
 * that rewrites graphs, so a new model, new ranges or a changed rewrite all build afresh.
 *
 * Where: $DOCR_CACHE_DIR, else $XDG_CACHE_HOME/docr, else ~/.cache/docr (the XDG base-directory
 * rule: it is derived data, safe to delete). An unwritable cache costs only the rebuild: the
 * model is then prepared in memory, as before.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { sourceBeside } from '../../platform/compiled.js';

/** The modules whose code shapes a prepared graph: editing one invalidates every cached graph (their TypeScript, also when the build runs). */
const REWRITE_SOURCES = ['graph-folding.ts', 'quantize.ts', 'rec-head.ts', 'onnx-graph.ts', 'onnx-wire.ts', 'model-cache.ts'];

export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCR_CACHE_DIR?.trim()) return path.resolve(env.DOCR_CACHE_DIR.trim());
  const xdg = env.XDG_CACHE_HOME?.trim();
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache'), 'docr');
}

let codeDigest: string | undefined;
function rewriteCodeDigest(): string {
  if (codeDigest) return codeDigest;
  const h = createHash('sha256');
  for (const file of REWRITE_SOURCES) {
    try { h.update(readFileSync(sourceBeside(`./${file}`, import.meta.url))); } catch { h.update(`missing:${file}`); }
  }
  return (codeDigest = h.digest('hex'));
}

export interface PreparedModelSpec {
  /** Short name for the file, e.g. "rec-int8". */
  name: string;
  /** The source model's bytes. */
  source: Uint8Array;
  /** Everything else the result depends on (steps, calibration ranges), as text. */
  recipe: string;
  /** Builds the prepared graph from the source (on a cache miss). */
  build(source: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

export function preparedModelPath(spec: Pick<PreparedModelSpec, 'name' | 'source' | 'recipe'>, dir = modelCacheDir()): string {
  const key = createHash('sha256').update(spec.source).update('\0').update(spec.recipe).update('\0').update(rewriteCodeDigest()).digest('hex');
  return path.join(dir, 'models', `${spec.name}-${key.slice(0, 24)}.onnx`);
}

/** The prepared graph: from the cache when it is there, else built and stored (atomically). */
export async function preparedModel(spec: PreparedModelSpec, dir = modelCacheDir()): Promise<Uint8Array> {
  return (await preparedModelEntry(spec, dir)).model;
}

/** The prepared graph and its cache file's name (which says what it was made from). */
export async function preparedModelEntry(spec: PreparedModelSpec, dir = modelCacheDir()): Promise<{ model: Uint8Array; name: string }> {
  const file = preparedModelPath(spec, dir);
  const name = path.basename(file);
  try {
    return { model: new Uint8Array(readFileSync(file)), name };
  } catch { /* not built yet */ }
  const model = await spec.build(spec.source);
  // Written under a unique name and renamed: engines starting together never read half a file.
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, model);
    renameSync(tmp, file);
  } catch {
    try { rmSync(tmp, { force: true }); } catch { /* the dir itself is unusable: nothing was written */ }
  }
  return { model, name };
}
