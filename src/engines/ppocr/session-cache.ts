/**
 * ONNX Runtime sessions from graphs it has already optimised. At every session start ORT
 * rewrites the graph (constant folding, fusions, the NCHWc layout of this CPU's vector width):
 * about half of the start (measured here: det 25 → 14 ms, rec 50 → 20 ms, cls 20 → 10 ms). The
 * optimised graph is saved once into the model cache (model-cache.ts) and later sessions load
 * it with optimisation off. ORT warns that such a graph is valid only where it was made, so its
 * name carries the CPU (model and flags), the ORT version and the session options; an entry
 * that will not load is removed and made again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { modelCacheDir } from './model-cache.js';

export interface CachedSessionSpec {
  /** Short name for the file, e.g. "det". */
  name: string;
  /** The graph: its bytes or its file. */
  model: Uint8Array | string;
  /** Identifies the graph's content (a checksum or the prepared model's cache name). */
  modelKey: string;
  /** The session's options; graphOptimizationLevel is the level the saved graph is optimised at. */
  options: ort.InferenceSession.SessionOptions;
}

let cpuSignature: string | undefined;
/** The CPU as ORT's kernels see it: model name and instruction-set flags. */
function cpu(): string {
  if (cpuSignature !== undefined) return cpuSignature;
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    cpuSignature = `${/^model name\s*:(.*)$/m.exec(info)?.[1]?.trim()}|${/^flags\s*:(.*)$/m.exec(info)?.[1]?.trim()}`;
  } catch {
    cpuSignature = `${process.arch}|unknown`;
  }
  return cpuSignature;
}

/** Options that do not change the optimised graph: a session with another thread count shares it. */
function graphOptions(o: ort.InferenceSession.SessionOptions): string {
  const { intraOpNumThreads: _threads, interOpNumThreads: _inter, logSeverityLevel: _log, ...rest } = o;
  return JSON.stringify(rest);
}

export function optimizedModelPath(spec: Pick<CachedSessionSpec, 'name' | 'modelKey' | 'options'>, dir = modelCacheDir()): string {
  const key = createHash('sha256').update([spec.modelKey, ort.env.versions.common, cpu(), graphOptions(spec.options)].join('\0')).digest('hex');
  return path.join(dir, 'models', `${spec.name}-ort-${key.slice(0, 24)}.onnx`);
}

/** A session on the saved optimised graph when there is one, else on the graph (saving its optimised form for next time). */
export async function openCachedSession(spec: CachedSessionSpec, dir = modelCacheDir()): Promise<ort.InferenceSession> {
  const file = optimizedModelPath(spec, dir);
  if (existsSync(file)) {
    try {
      return await ort.InferenceSession.create(file, { ...spec.options, graphOptimizationLevel: 'disabled' });
    } catch {
      rmSync(file, { force: true }); // truncated or from another ORT build: optimised again below
    }
  }
  // Written under a unique name and renamed: engines starting together never read half a file.
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Level 3: ORT's warning that the saved graph is specific to this machine is what the name says already.
    const session = await create(spec.model, { ...spec.options, optimizedModelFilePath: tmp, logSeverityLevel: 3 });
    renameSync(tmp, file);
    return session;
  } catch {
    try { rmSync(tmp, { force: true }); } catch { /* the dir itself is unusable: nothing was written */ }
    return create(spec.model, spec.options); // an unwritable cache costs only the optimisation at each start
  }
}

function create(model: Uint8Array | string, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}
