/** Operations routes (beyond the reference): health, readiness, metrics, API docs. */
import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../context.js';
import { openApiDocument } from '../openapi.js';

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

  app.get('/docs', async (request) => openApiDocument(ctx.limits.publicUrl ?? `${request.protocol}://${request.host}`));
}
