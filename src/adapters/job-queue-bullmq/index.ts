/**
 * The scaled JobQueue: BullMQ on Redis, shared by every API node (producers) and worker
 * (consumers). Jobs carry the task id only. A job's id is `<task>-a<attempt>`, so that adding
 * an id already waiting for that attempt is a no-op (BullMQ ignores a duplicate job id).
 *
 * Stalls: a consumer holds a lock on its job, renewed while it runs; a killed consumer's lock
 * lapses after `stallMs` and BullMQ hands the job to another consumer (at most `maxStalls`
 * times, then it is failed). The TaskStore's lease recovery stays the guarantee either way.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobQueue } from '../../ports/job-queue.js';

export interface BullmqJobQueueOptions {
  redisUrl: string;
  /** Prefix of every Redis key (several deployments, or test runs, share one Redis). */
  prefix: string;
  /** Queue name under the prefix (default "tasks"). */
  name?: string;
  /** How long a consumer's job may go without a lock renewal before it is redelivered. */
  stallMs: number;
  /** Redeliveries of a stalled job before BullMQ fails it (default 2). */
  maxStalls?: number;
  onError?: (e: Error) => void;
}

/** Finished jobs are removed: the TaskStore is the record, and a later attempt may reuse nothing here. */
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: { count: 1000 }, attempts: 1 } as const;

export interface BullmqJobQueue extends JobQueue {
  /** Resolves when Redis answers. */
  ping(): Promise<void>;
}

export function createBullmqJobQueue(o: BullmqJobQueueOptions): BullmqJobQueue {
  const name = o.name ?? 'tasks';
  const onError = o.onError ?? (() => {});
  // Producers fail fast when Redis is away (the create answers an error); the consumer's
  // blocking connection waits for Redis to come back, as BullMQ requires.
  const producer = new Redis(o.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  producer.on('error', onError);
  const queue = new Queue(name, { connection: producer, prefix: o.prefix });
  queue.on('error', onError);
  const consumers: { worker: Worker; connection: Redis }[] = [];
  /** Running handlers: close() waits for these itself, since BullMQ's close cannot turn forced once begun. */
  const running = new Set<Promise<void>>();
  let closed = false;

  return {
    async enqueue(taskId, attempt = 0) {
      if (closed) return;
      await queue.add('task', { taskId }, { ...JOB_OPTIONS, jobId: `${taskId}-a${attempt}` });
    },
    consume(handler, concurrency) {
      const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
      connection.on('error', onError);
      const run = async (taskId: string) => {
        const p = handler(taskId);
        running.add(p);
        try { await p; } finally { running.delete(p); }
      };
      const worker = new Worker<{ taskId: string }>(name, async (job) => run(job.data.taskId), {
        connection, prefix: o.prefix, concurrency: Math.max(1, Math.floor(concurrency)),
        lockDuration: o.stallMs, stalledInterval: o.stallMs, maxStalledCount: o.maxStalls ?? 2,
      });
      worker.on('error', onError);
      consumers.push({ worker, connection });
    },
    size: () => queue.count(),
    async ping() {
      await producer.ping();
    },
    async close(timeoutMs = 30_000) {
      closed = true;
      // No new jobs from here on; running ones get `timeoutMs`, then the connection goes (their
      // jobs stall and are redelivered elsewhere).
      await Promise.all(consumers.map(({ worker }) => worker.pause(true)));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((r) => { timer = setTimeout(() => r('late'), timeoutMs); });
      const finished = await Promise.race([Promise.allSettled([...running]).then(() => 'done' as const), late]);
      clearTimeout(timer);
      await Promise.all(consumers.map(async ({ worker, connection }) => {
        await worker.close(finished === 'late');
        connection.disconnect();
      }));
      await queue.close();
      producer.disconnect();
    },
  };
}
