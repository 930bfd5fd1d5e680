/** Time, injectable so that tests can move it (result expiry, leases, backoff). */
export interface Clock {
  /** Unix milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
