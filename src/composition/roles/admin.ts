/**
 * The small admin HTTP server of a process with no public API (`docr worker`): /healthz
 * (alive), /readyz (its kit's servers answer and it is not stopping), /metrics (Prometheus).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { Metrics } from '../../http/metrics.js';

export interface AdminServer {
  app: FastifyInstance;
  metrics: Metrics;
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
}

export function createAdminServer(ready: () => Promise<Record<string, boolean>>): AdminServer {
  const app = Fastify({ logger: false });
  const metrics = new Metrics();
  app.get('/healthz', async () => ({ status: 200, message: 'success', data: { alive: true } }));
  app.get('/readyz', async (_request, reply) => {
    const checks = await ready().catch(() => ({ ready: false }));
    const ok = Object.values(checks).every(Boolean);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 200 : 503, message: ok ? 'success' : 'not ready', data: checks });
  });
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.render()));
  return {
    app, metrics,
    listen: (host, port) => app.listen({ host, port }),
    close: () => app.close(),
  };
}
