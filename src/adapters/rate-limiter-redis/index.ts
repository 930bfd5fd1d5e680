/**
 * The RateLimiter shared by every API node (scaled mode): one token bucket per key in Redis,
 * taken by one Lua script so that a take is atomic whichever node runs it, on Redis's clock
 * so that nodes' clocks do not matter. Same bucket rule as the in-process limiter.
 */
import type { Redis } from 'ioredis';
import { rateDecision, type RateLimiter } from '../../ports/rate-limiter.js';

/** KEYS[1] bucket; ARGV rate (tokens/s), burst. Returns {allowed 0|1, tokens left as a string}. */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
`;

type WithTake = Redis & { docrTakeToken(key: string, rate: number, burst: number): Promise<[number, string]> };

export function createRedisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  const r = redis as WithTake;
  if (typeof r.docrTakeToken !== 'function') redis.defineCommand('docrTakeToken', { numberOfKeys: 1, lua: TAKE });
  return {
    async take(id, rate, burst = Math.max(1, rate)) {
      const [allowed, left] = await r.docrTakeToken(`${prefix}:rate:${id}`, rate, burst);
      return rateDecision(allowed === 1, Number(left), rate, burst);
    },
  };
}
