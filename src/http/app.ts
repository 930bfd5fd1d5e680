/**
 * The Fastify app factory. Everything it uses is passed in (no singletons), so tests
 * build as many apps as they like and drive them with `app.inject()`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer } from 'node:http';
import formbody from '@fastify/formbody';
import { TokenBucketLimiter } from '../app/rate-limiter.js';
import type { HttpContext, HttpDeps } from './context.js';
import { clientErrorHandler, errorBody, frameworkErrorHandler, installErrorHandlers } from './errors.js';
import { installJsonParser } from './json-body.js';
import { Metrics } from './metrics.js';
import { OneLineRequestLog } from './request-log.js';
import { createPino, type LogLevel } from '../platform/logger.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerResultRoutes } from './routes/results.js';
import { registerTaskRoutes } from './routes/tasks.js';
import { registerWebPageRoutes } from './routes/web-page.js';

/**
 * A finished task's signed URL depends only on its id, format, completion time and the base:
 * a poller asking for it again gets the same string without another HMAC. Bounded.
 */
function memoiseUrls(sign: HttpContext['resultUrlOf']): HttpContext['resultUrlOf'] {
  const urls = new Map<string, string | Promise<string>>();
  return (task, base) => {
    if (task.completedAt === undefined) return sign(task, base);
    const k = `${task.id}\u0000${task.options.format}\u0000${task.completedAt}\u0000${base}`;
    let url = urls.get(k);
    if (url === undefined) {
      if (urls.size >= 10_000) urls.clear();
      url = sign(task, base);
      urls.set(k, url);
    }
    return url;
  };
}

/** The route label of answers given before any route matched. */
export const UNROUTED = '(unrouted)';

export function buildApp(deps: HttpDeps): FastifyInstance {
  const level = deps.logLevel ?? 'info';
  const metrics = deps.registry ?? new Metrics();
  const requests = metrics.counter('docr_http_requests_total', 'HTTP answers by route and status', ['route', 'status']);
  const parserLimits = { headersTimeoutMs: deps.headersTimeoutMs ?? 60_000, maxHeaderBytes: 16 * 1024 };
  const app = Fastify({
    loggerInstance: deps.logger ?? createPino(level as LogLevel),
    logController: new OneLineRequestLog(),
    bodyLimit: 1024 * 1024, // urlencoded and JSON bodies carry fields only; files go through multipart
    // Host and X-Forwarded-* pick the host of result URLs: trusted only when the operator says a proxy sets them.
    trustProxy: deps.trustProxy ?? false,
    serverFactory: (handler) => createServer({
      headersTimeout: parserLimits.headersTimeoutMs, maxHeaderSize: parserLimits.maxHeaderBytes,
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, parserLimits.headersTimeoutMs / 4)),
    }, handler),
    // Errors raised before routing answer in the envelope too, counted as route "(unrouted)".
    clientErrorHandler: clientErrorHandler(parserLimits, (status) => requests({ route: UNROUTED, status })),
    frameworkErrors: (err, request, reply) => {
      requests({ route: UNROUTED, status: errorBody(err).status });
      frameworkErrorHandler(err, request, reply);
    },
  });

  const tasksCreated = metrics.counter('docr_tasks_created_total', 'OCR tasks created');
  metrics.gauge('docr_queue_waiting', 'task ids waiting for a worker', () => deps.queue.size());

  const closing = new AbortController();
  app.addHook('preClose', async () => { closing.abort(); });

  const ctx: HttpContext = {
    ...deps,
    limiter: deps.limiter ?? new TokenBucketLimiter(deps.clock),
    metrics: { tasksCreated: () => tasksCreated(), render: () => metrics.render() },
    syncPollMs: deps.syncPollMs ?? 200,
    shutdown: closing.signal,
    isReady: deps.isReady ?? (() => true),
    resultUrlOf: memoiseUrls(deps.resultUrlOf ?? ((task, base) => deps.signer.urlFor(base, {
      taskId: task.id, ext: task.options.format,
      expires: Math.floor((task.completedAt ?? deps.clock.now()) / 1000) + deps.limits.resultTtlSeconds,
    }))),
  };

  app.removeContentTypeParser(['application/json']);
  installJsonParser(app);
  app.register(formbody);
  // A callback hook, not an async one: it runs on every answer (no promise per request).
  app.addHook('onResponse', (request, reply, done) => {
    // Answers before routing are counted by frameworkErrors.
    if (request.routeOptions.url !== undefined || request.is404 === true) requests({ route: request.routeOptions.url ?? UNROUTED, status: reply.statusCode });
    done();
  });
  installErrorHandlers(app);
  app.register(async (scope) => {
    registerTaskRoutes(scope, ctx);
    registerResultRoutes(scope, ctx);
    registerOpsRoutes(scope, ctx);
    registerWebPageRoutes(scope);
  });
  return app;
}
