/**
 * Body of an engine worker thread: builds one engine instance from a locatable descriptor,
 * then reads one page at a time. A page's AbortController lets the parent cancel it (the
 * engine kills its child processes); a hung instance is terminated by the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isDocrError } from '../../domain/errors.js';
import type { EngineDescriptor, OcrEngine } from '../../ports/ocr-engine.js';
import type { FromWorker, SerialisedError, ToWorker, WorkerConfig } from './protocol.js';

const port = parentPort!;
const config = workerData as WorkerConfig;
const running = new Map<number, AbortController>();

function serialise(e: unknown): SerialisedError {
  if (isDocrError(e)) return { code: e.code, message: e.message, details: e.details };
  const err = e as { message?: string; name?: string } | undefined;
  return { code: 'ENGINE_FAILED', message: `The recognition engine failed: ${err?.message ?? String(e)}`, details: { name: err?.name } };
}

const post = (m: FromWorker) => port.postMessage(m);

async function start(): Promise<OcrEngine> {
  const mod = (await import(config.module)) as Record<string, EngineDescriptor | undefined>;
  const descriptor = mod[config.export];
  if (!descriptor || typeof descriptor.create !== 'function') throw new Error(`${config.module} exports no descriptor ${config.export}`);
  return descriptor.create({ threads: config.threads });
}

async function readPage(engine: OcrEngine, m: Extract<ToWorker, { type: 'page' }>): Promise<void> {
  const ac = new AbortController();
  running.set(m.id, ac);
  try {
    const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    const page = await engine.recognize({ data, width: m.width, height: m.height, dpi: m.dpi, index: m.index }, { languages: m.languages, signal: ac.signal });
    post({ type: 'done', id: m.id, page });
  } catch (e) {
    post({ type: 'failed', id: m.id, error: serialise(e) });
  } finally {
    running.delete(m.id);
  }
}

try {
  const engine = await start();
  port.on('message', (m: ToWorker) => {
    if (m.type === 'page') void readPage(engine, m);
    else if (m.type === 'abort') running.get(m.id)?.abort();
    else if (m.type === 'close') void engine.close().finally(() => port.close());
  });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'init-failed', error: serialise(e) });
}
