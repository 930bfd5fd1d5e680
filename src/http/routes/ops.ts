/** Operations routes (docr extras): health, readiness, metrics, the OpenAPI document and its reference page. */
import type { FastifyInstance } from 'fastify';
import scalar from '@scalar/fastify-api-reference';
import type { HttpContext } from '../context.js';
import { openApiDocument } from '../openapi.js';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

export function registerOpsRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/healthz', async () => ({ status: 200, message: 'success', data: { alive: true } }));

  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, boolean> = {};
    try { await ctx.store.listQueued(1); checks.store = true; } catch { checks.store = false; }
    try { checks.ready = await ctx.isReady(); } catch { checks.ready = false; }
    const ok = Object.values(checks).every(Boolean);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 200 : 503, message: ok ? 'success' : 'not ready', data: checks });
  });

  app.get('/metrics', async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(await ctx.metrics.render()));

  // Without --public-url the document names no server: tools then use the address it was fetched from.
  const document = JSON.stringify(openApiDocument({ serverUrl: ctx.limits.publicUrl, maxUploadBytes: ctx.limits.maxUploadBytes }));
  app.get(OPENAPI_PATH, async (_request, reply) => reply.type('application/json; charset=utf-8').send(document));

  // Scalar's reference, served from its npm package (no CDN, no web fonts, no telemetry).
  app.register(scalar, {
    routePrefix: DOCS_PATH,
    logLevel: 'warn',
    configuration: {
      url: OPENAPI_PATH, title: 'docr API reference', withDefaultFonts: false, telemetry: false,
      showDeveloperTools: 'never', agent: { disabled: true }, mcp: { disabled: true }, documentDownloadType: 'json',
    },
  });
}
