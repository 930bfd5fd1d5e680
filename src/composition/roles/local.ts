/**
 * The local role for one-shot runs (`docr ocr`): the whole task pipeline in this process, with
 * no server, no key and nothing kept (local-pipeline.ts). Its engine starts first: the engine
 * process loads its models (the longest part of a small file's run) while this process loads
 * the pipeline's code and opens the input. So this module imports only the engines' entry,
 * and the pipeline is imported after the engine is on its way.
 */
import { availableParallelism } from 'node:os';
import { createRecognizer } from '../../engines/index.js';
import type { LocalDocr } from './local-pipeline.js';

export type { LocalDocr, LocalJob, LocalResult } from './local-pipeline.js';

export interface LocalOptions {
  /** Engine instances at most (default: the machine's cores). */
  workers?: number;
  /** Start one engine for these languages now, not at the first page (`docr ocr` knows them). */
  warm?: readonly string[];
  /** Per-task limit (default 30 minutes: no client is waiting on the API's 180 s). */
  processingTimeoutMs?: number;
}

export async function startLocal(options: LocalOptions = {}): Promise<LocalDocr> {
  const recognizer = createRecognizer({
    workers: Math.max(1, options.workers ?? availableParallelism()),
    isolation: 'process',
    // The user's own command at the user's priority: there is no HTTP event loop here for
    // engines to yield to (the server's reason for nice 10), and on a busy machine a niced
    // engine waited for the CPU behind everything else.
    nice: 0,
    prewarm: options.warm && { languages: options.warm, instances: 1 },
  });
  try {
    const { startLocalPipeline } = await import('./local-pipeline.js');
    return await startLocalPipeline(recognizer, options);
  } catch (e) {
    await recognizer.close();
    throw e;
  }
}
