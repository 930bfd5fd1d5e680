/** Operations routes (docr extras): health, readiness, metrics, the OpenAPI document and its reference page. */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
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

  registerReferencePage(app);
}

/** Hop-by-hop and length headers of the inner answer: the outer reply sets its own. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/**
 * Scalar's reference page, served from its npm package (no CDN, no web fonts, no telemetry).
 * The package is 4 MB of JavaScript (0.2–0.6 s to import), so it is loaded by the first
 * request for the page, not at every start: into a private Fastify instance that answers the
 * page's three routes (the page, its redirect, its script) through `inject`.
 */
function registerReferencePage(app: FastifyInstance): void {
  let reference: Promise<FastifyInstance> | undefined;
  const load = async () => {
    const { default: scalar } = await import('@scalar/fastify-api-reference');
    const inner = Fastify();
    await inner.register(scalar, {
      routePrefix: DOCS_PATH,
      configuration: {
        url: OPENAPI_PATH, title: 'docr API reference', withDefaultFonts: false, telemetry: false,
        showDeveloperTools: 'never', agent: { disabled: true }, mcp: { disabled: true }, documentDownloadType: 'json',
      },
    });
    await inner.ready();
    return inner;
  };
  const answer = async (request: FastifyRequest, reply: FastifyReply) => {
    const inner = await (reference ??= load().catch((e: unknown) => { reference = undefined; throw e; }));
    // Always a GET: for a HEAD, Fastify drops the body and keeps its length.
    const res = await inner.inject({ method: 'GET', url: request.url, headers: request.headers });
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !NOT_FORWARDED.has(name)) reply.header(name, value);
    return reply.code(res.statusCode).send(res.rawPayload);
  };
  for (const url of [DOCS_PATH, `${DOCS_PATH}/`, `${DOCS_PATH}/js/scalar.js`]) app.get(url, { logLevel: 'warn' }, answer);
}
