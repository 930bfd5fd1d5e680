/**
 * The modules every composition root shares, built from config: normaliser, recognizer,
 * renderers, source fetcher, notifier and the language check. Each is built on first use, so
 * a process gets only what its roles ask for (an API-only node never loads an engine) and
 * `close()` closes only what was built.
 */
import { createWebhookNotifier } from '../adapters/notifier-webhook/index.js';
import type { DocrConfig } from '../config/index.js';
import type { OutputFormat } from '../contract/formats.js';
import { createRecognizer, installedLanguageNames, installedLanguageNamesNow, validateLanguages, type RecognizerOptions } from '../engines/index.js';
import { createNormaliser, type ClosableNormaliser } from '../normalisers/index.js';
import type { Logger } from '../platform/logger.js';
import { Metrics } from '../platform/metrics.js';
import { createGuardedFetcher, createOutboundGuard } from '../platform/outbound-guard/index.js';
import type { Clock } from '../ports/clock.js';
import type { Notifier } from '../ports/notifier.js';
import type { Recognizer } from '../ports/ocr-engine.js';
import type { Renderer } from '../ports/renderer.js';
import type { SourceFetcher } from '../ports/source-fetcher.js';
import type { TaskRecord, TaskStore } from '../ports/task-store.js';
import { createRenderers } from '../renderers/index.js';

export interface Modules {
  /** `options` count on the first call only (the one that builds it). */
  recognizer(options?: Pick<RecognizerOptions, 'prewarm'>): Recognizer;
  normaliser(): ClosableNormaliser;
  renderers(): (format: OutputFormat) => Renderer;
  fetcher(): SourceFetcher;
  /** Callbacks, signed with each task's key and carrying `resultUrlOf(task)` for a success. */
  notifier(store: TaskStore, resultUrlOf: (task: TaskRecord) => Promise<string>): Notifier;
  /** The API's `language` check against the installed models. */
  languageCheck(): Promise<(value: string) => string[]>;
  /** The process's metrics registry: HTTP, worker, engine pool and callbacks report into it (one /metrics). */
  metrics(): Metrics;
  close(): Promise<void>;
}

export function createModules(config: Pick<DocrConfig, 'workers' | 'allowPrivateUrls' | 'engineIsolation'>, env: { clock: Clock; log: Logger }): Modules {
  const allow = config.allowPrivateUrls ? true : undefined;
  let recognizer: Recognizer | undefined;
  let normaliser: ClosableNormaliser | undefined;
  let renderers: ((format: OutputFormat) => Renderer) | undefined;
  let listed: Promise<string[]> | undefined;
  const metrics = new Metrics();
  return {
    metrics: () => metrics,
    recognizer: (options = {}) => (recognizer ??= createRecognizer({ workers: Math.max(1, config.workers), metrics, isolation: config.engineIsolation, ...options })),
    normaliser: () => (normaliser ??= createNormaliser()),
    renderers: () => (renderers ??= createRenderers()),
    fetcher: () => createGuardedFetcher({ allow }),
    notifier: (store, resultUrlOf) => createWebhookNotifier({ store, clock: env.clock, guard: createOutboundGuard({ allow }), resultUrlOf, log: env.log }),
    async languageCheck() {
      await (listed ??= installedLanguageNames()); // listed once; later answers come from the model folder as it is then
      return (value) => validateLanguages(value, installedLanguageNamesNow);
    },
    async close() {
      await recognizer?.close();
      await normaliser?.close();
    },
  };
}
