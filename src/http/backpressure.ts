/**
 * Backpressure (issue 13): creates are refused with 503 and Retry-After while the queue
 * holds `maxQueued` tasks waiting for a worker, before the upload is read and with nothing
 * charged. Runs after the key's QPS check, so a key over its rate still gets its 429: the
 * per-key QPS means the same under load as idle.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DocrError } from '../domain/errors.js';
import type { JobQueue } from '../ports/job-queue.js';

/** Seconds a client is told to wait when the queue is full. */
export const QUEUE_FULL_RETRY_AFTER = 5;

export function queueGuard(queue: JobQueue, maxQueued: number | undefined) {
  return async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (maxQueued === undefined) return;
    const waiting = await queue.size();
    if (waiting < maxQueued) return;
    reply.header('Retry-After', QUEUE_FULL_RETRY_AFTER);
    throw new DocrError('NO_RESOURCES', `docr is busy: ${waiting} tasks are waiting for a worker (the limit is ${maxQueued}); nothing was charged, retry after ${QUEUE_FULL_RETRY_AFTER} s`, { retry_after: QUEUE_FULL_RETRY_AFTER });
  };
}
