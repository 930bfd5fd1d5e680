import { after, before } from 'node:test';
import { createBullmqJobQueue, type BullmqJobQueue } from '../../src/adapters/job-queue-bullmq/index.js';
import type { JobQueue } from '../../src/ports/job-queue.js';
import { createRedisPrefix } from '../fixtures/scaled-services.js';
import { describeJobQueue } from './job-queue.suite.js';

let redis: Awaited<ReturnType<typeof createRedisPrefix>>;
before(async () => { redis = await createRedisPrefix(); });
after(async () => { await redis.drop(); });
let run = 0;

describeJobQueue('BullMQ (Redis)', async () => {
  const name = `q${run++}`; // each case on its own queue
  const open = async (): Promise<JobQueue> => createBullmqJobQueue({ redisUrl: redis.url, prefix: redis.prefix, name, stallMs: 1000 });
  return {
    open,
    // A killed process: its worker stops without finishing or releasing the job.
    crash: async (q) => {
      const forced = q as BullmqJobQueue & { close(timeoutMs?: number): Promise<void> };
      await forced.close(0);
    },
    cleanup: async () => {},
  };
}, { crashable: true });
