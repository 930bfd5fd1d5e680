/** The reference's two routes: create (POST) and query (GET) an OCR task (SPEC §1.2, §1.3, §2). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { cancelTask } from '../../app/cancel-task.js';
import { KeyCache } from '../../app/keys.js';
import { createTask, inputBlobKey } from '../../app/create-task.js';
import { getOwnTask, peekOwnTask, waitForFinal, watchTask } from '../../app/get-task.js';
import { z } from 'zod';
import { queryBody, toQueryBody } from '../../contract/query-body.js';
import { newTaskId } from '../../platform/ids.js';
import type { TaskRecord } from '../../ports/task-store.js';
import { createHash } from 'node:crypto';
import { accessHook, type AccessDeps } from '../access.js';
import { queueGuard } from '../backpressure.js';
import { MULTIPART_LIMITS, readCreateBody, refuseDeclaredOversize } from '../create-body.js';
import type { HttpContext } from '../context.js';

export const TASKS_PATH = '/api/tasks/document/ocr';
/**
 * The vendor's samples page queries `/api/tasks/visual/document/ocr/{task_id}` in its curl
 * sample (the same task, under the path of PicWish's other APIs): docr answers it as a query,
 * so that sample works unchanged too.
 */
export const VISUAL_QUERY_PATH = '/api/tasks/visual/document/ocr';

/**
 * The query body's JSON Schema from the contract, for Fastify's compiled serializer
 * (fast-json-stringify): the hot polling path writes its answer without JSON.stringify's
 * walk. Metadata is left out (an empty registry): the serializer needs only the shape.
 */
const QUERY_RESPONSE = { response: { 200: z.toJSONSchema(queryBody, { io: 'output', target: 'draft-7', metadata: z.registry() }) } };

const JSON_UTF8 = 'application/json; charset=utf-8';

/** Base of absolute URLs: --public-url, else the host the client used. */
export function baseUrlOf(ctx: HttpContext, request: FastifyRequest): string {
  return ctx.limits.publicUrl ?? `${request.protocol}://${request.host}`;
}

export async function queryBodyFor(ctx: HttpContext, task: Readonly<TaskRecord>, base: string) {
  return toQueryBody(task, task.state === 1 ? await ctx.resultUrlOf(task, base) : undefined);
}

async function digestOf(ctx: HttpContext, blobKey: string): Promise<string | undefined> {
  const stream = await ctx.blobs.get(blobKey);
  if (!stream) return undefined;
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function registerTaskRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const access = { store: ctx.store, limiter: ctx.limiter, queryQps: ctx.limits.queryQps, keyCache: new KeyCache(ctx.clock) };

  // Multipart in the create route's own scope: its hooks (a listener on every response, temp
  // file cleanup) then run for uploads only, not on every poll.
  app.register(async (uploads) => {
    await uploads.register(multipart, {
      // One byte over the cap so that the BlobStore's own count trips first and says 413.
      limits: { fileSize: ctx.limits.maxUploadBytes + 1, ...MULTIPART_LIMITS },
    });
    registerCreateRoute(uploads, ctx, access);
  });

  // The query body as sent, kept per task version: a store with `peek` hands out the same
  // record while the task is unchanged, so a poller asking again gets the bytes written for the
  // previous answer (no body building, URL lookup or serialising). A changed task is a new
  // record, and the old answer goes with the old record (weakly held).
  const answered = new WeakMap<object, { base: string; body: Buffer }>();
  for (const prefix of [TASKS_PATH, VISUAL_QUERY_PATH]) {
    app.get<{ Params: { id: string } }>(`${prefix}/:id`, { onRequest: accessHook(access, 'query'), schema: QUERY_RESPONSE }, async (request, reply) => {
      const task = await peekOwnTask(ctx.store, request.apiKey!.id, request.params.id);
      const base = baseUrlOf(ctx, request);
      reply.type(JSON_UTF8);
      const kept = answered.get(task);
      if (kept?.base === base) return kept.body;
      const body = Buffer.from(reply.serialize(await queryBodyFor(ctx, task, base)) as string);
      if (ctx.store.peek) answered.set(task, { base, body });
      return body;
    });
  }

  // beyond (SPEC §7): server-sent events, one `state` event (the query body) per change, until
  // the task ends or the sync wait limit passes (the client reconnects to go on watching).
  app.get<{ Params: { id: string } }>(`${TASKS_PATH}/:id/events`, { onRequest: accessHook(access, 'query') }, async (request, reply) => {
    const task = await getOwnTask(ctx.store, request.apiKey!.id, request.params.id);
    const base = baseUrlOf(ctx, request);
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    reply.hijack();
    reply.raw.writeHead(200, { ...reply.getHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } as Record<string, string>);
    const watching = watchTask(ctx.store, task.id, { timeoutMs: ctx.limits.syncWaitSeconds * 1000, intervalMs: ctx.syncPollMs, signal: AbortSignal.any([gone.signal, ctx.shutdown]) });
    for await (const latest of watching) {
      reply.raw.write(`event: state\nid: ${latest.state}-${latest.progress}\ndata: ${JSON.stringify(await queryBodyFor(ctx, latest, base))}\n\n`);
    }
    reply.raw.end();
  });

  // beyond (SPEC §7): cancel and purge. Answers the query body of the task as it now is.
  app.delete<{ Params: { id: string } }>(`${TASKS_PATH}/:id`, { onRequest: accessHook(access, 'query'), schema: QUERY_RESPONSE }, async (request) => {
    const task = await cancelTask(ctx, request.apiKey!.id, request.params.id);
    return toQueryBody(task);
  });
}

function registerCreateRoute(app: FastifyInstance, ctx: HttpContext, access: AccessDeps): void {
  app.post(TASKS_PATH, { onRequest: [accessHook(access, 'create'), queueGuard(ctx.queue, ctx.limits.maxQueued), refuseDeclaredOversize(ctx.limits.maxUploadBytes)] }, async (request, reply) => {
    const key = request.apiKey!;
    const taskId = newTaskId();
    const body = await readCreateBody(request, ctx.blobs, inputBlobKey(taskId), ctx.limits.maxUploadBytes);
    const idem = request.headers['idempotency-key'];
    const idempotencyKey = typeof idem === 'string' && idem.length > 0 ? idem.slice(0, 200) : undefined;
    // Only an idempotent create needs the upload's digest (to tell a replay from a different request).
    const upload = body.upload && idempotencyKey ? { ...body.upload, sha256: await digestOf(ctx, body.upload.blobKey) } : body.upload;
    const { task, created, creditsLeft } = await createTask(ctx, { key, taskId, fields: body.fields, upload, idempotencyKey, json: body.json });
    if (created) ctx.metrics.tasksCreated();
    // The store may say what the charge left (one round trip less); else the key is read.
    const credits = creditsLeft ?? (await ctx.store.getKey(key.id))?.credits;
    if (credits !== undefined) reply.header('X-Credits-Remaining', credits);
    if (!task.options.sync) return { status: 200, message: 'success', data: { task_id: task.id } };

    // sync=1: hold the request until the task ends or the wait limit passes; a client that
    // goes away only stops the waiting, never the task.
    // The response's 'close' before it is sent means the client hung up (the request's own
    // 'close' only says its body was read).
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    const latest = await waitForFinal(ctx.store, task.id, { timeoutMs: ctx.limits.syncWaitSeconds * 1000, intervalMs: ctx.syncPollMs, signal: AbortSignal.any([gone.signal, ctx.shutdown]) });
    return queryBodyFor(ctx, latest ?? task, baseUrlOf(ctx, request));
  });
}
