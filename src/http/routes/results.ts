/**
 * Result downloads: the signed URL in `data.file` is the authorisation (no API key).
 * Bad signature or unknown task → 404; past its expiry (or swept) → 410.
 */
import type { FastifyInstance } from 'fastify';
import { CONTENT_TYPES, isOutputFormat } from '../../contract/formats.js';
import { DocrError } from '../../domain/errors.js';
import { RESULT_PATH_PREFIX } from '../../platform/signed-url.js';
import type { HttpContext } from '../context.js';

export function registerResultRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get<{ Params: { file: string }; Querystring: Record<string, unknown> }>(`${RESULT_PATH_PREFIX}:file`, async (request, reply) => {
    const v = ctx.signer.verify(request.params.file, request.query.expires, request.query.signature, ctx.clock.now());
    if (!v.ok && v.reason === 'expired') {
      throw new DocrError('GONE', `this result URL has expired: results are kept ${ctx.limits.resultTtlSeconds} s after completion`);
    }
    const unknown = new DocrError('NOT_FOUND', 'no such result (check the URL)');
    if (!v.ok) throw unknown;
    const task = await ctx.store.get(v.taskId);
    if (!task || task.state !== 1 || task.options.format !== v.ext || !isOutputFormat(v.ext)) throw unknown;
    const stream = task.resultKey ? await ctx.blobs.get(task.resultKey) : undefined;
    if (!stream) throw new DocrError('GONE', 'this result has been deleted');
    const stat = await ctx.blobs.stat(task.resultKey!);
    if (stat) reply.header('Content-Length', stat.size);
    return reply
      .type(CONTENT_TYPES[v.ext])
      .header('Content-Disposition', `attachment; filename="${task.id}.${v.ext}"`)
      .header('Cache-Control', 'private, no-store')
      .send(stream);
  });
}
