import { after, before } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisRateLimiter } from '../../src/adapters/rate-limiter-redis/index.js';
import { TokenBucketLimiter } from '../../src/app/rate-limiter.js';
import { createRedisPrefix } from '../fixtures/scaled-services.js';
import { describeRateLimiter } from './rate-limiter.suite.js';

describeRateLimiter('in-process', async () => {
  let t = 1_700_000_000_000;
  const limiter = new TokenBucketLimiter({ now: () => t });
  return { views: [limiter, limiter], pass: async (ms) => { t += ms; }, close: async () => {} };
});

let redis: Awaited<ReturnType<typeof createRedisPrefix>>;
before(async () => { redis = await createRedisPrefix(); });
after(async () => { await redis.drop(); });

describeRateLimiter('Redis (shared by API nodes)', async () => {
  const clients = [new Redis(redis.url), new Redis(redis.url)];
  return {
    views: [createRedisRateLimiter(clients[0], redis.prefix), createRedisRateLimiter(clients[1], redis.prefix)],
    pass: (ms) => new Promise((r) => setTimeout(r, ms)),
    close: async () => { for (const c of clients) c.disconnect(); },
  };
});
