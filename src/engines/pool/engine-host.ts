/**
 * The body of an engine host (a worker thread or a child process): builds one engine
 * instance from a locatable descriptor, then reads one page at a time. A page's
 * AbortController lets the parent cancel it (the engine kills its child processes); a hung
 * host is ended by the parent. The transport is the only difference between the two hosts.
 */
import { isDocrError } from '../../domain/errors.js';
import type { EngineDescriptor, OcrEngine } from '../../ports/ocr-engine.js';
import type { FromWorker, SerialisedError, ToWorker, WorkerConfig } from './protocol.js';

export interface HostTransport {
  post(m: FromWorker): void;
  onMessage(fn: (m: ToWorker) => void): void;
  /** Ends the host once its engine is closed. */
  close(): void;
}

function serialise(e: unknown): SerialisedError {
  if (isDocrError(e)) return { code: e.code, message: e.message, details: e.details };
  const err = e as { message?: string; name?: string } | undefined;
  return { code: 'ENGINE_FAILED', message: `The recognition engine failed: ${err?.message ?? String(e)}`, details: { name: err?.name } };
}

async function start(config: WorkerConfig): Promise<OcrEngine> {
  const mod = (await import(config.module)) as Record<string, EngineDescriptor | undefined>;
  const descriptor = mod[config.export];
  if (!descriptor || typeof descriptor.create !== 'function') throw new Error(`${config.module} exports no descriptor ${config.export}`);
  return descriptor.create({ threads: config.threads });
}

export async function hostEngine(config: WorkerConfig, t: HostTransport): Promise<void> {
  const running = new Map<number, AbortController>();
  const readPage = async (engine: OcrEngine, m: Extract<ToWorker, { type: 'page' }>) => {
    const ac = new AbortController();
    running.set(m.id, ac);
    try {
      const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
      const page = await engine.recognize({ data, width: m.width, height: m.height, dpi: m.dpi, index: m.index }, { languages: m.languages, signal: ac.signal });
      t.post({ type: 'done', id: m.id, page });
    } catch (e) {
      t.post({ type: 'failed', id: m.id, error: serialise(e) });
    } finally {
      running.delete(m.id);
    }
  };
  try {
    const engine = await start(config);
    t.onMessage((m) => {
      if (m.type === 'page') void readPage(engine, m);
      else if (m.type === 'abort') running.get(m.id)?.abort();
      else if (m.type === 'spare') engine.setSpareThreads?.(m.threads);
      else if (m.type === 'close') void engine.close().finally(() => t.close());
    });
    t.post({ type: 'ready' });
  } catch (e) {
    t.post({ type: 'init-failed', error: serialise(e) });
  }
}
