/**
 * The Notifier for `callback_url` (SPEC §2.2): POSTs the task's query body as JSON, signed
 * per Standard Webhooks with the key's secret, through the outbound guard (any port, public
 * addresses only unless allow-listed, no redirects followed), one attempt per call.
 *
 * Retry schedule (README "Callbacks"): the first attempt when the task ends, then after a
 * timeout, a connection failure or a non-2xx answer, retries 5 s, 30 s, 2 min, 10 min,
 * 30 min and 1 h after the previous attempt — seven attempts over about 1 h 43 min — then
 * delivery is given up. Every attempt is recorded on the task (attempts, last HTTP status
 * or error, delivered, next attempt time) through TaskStore.updateCallback, and due
 * attempts are found through TaskStore.listDueCallbacks, so the schedule survives restarts.
 */
import { toQueryBody } from '../../contract/query-body.js';
import type { Logger } from '../../platform/logger.js';
import { discard, OutboundError, type OutboundGuard } from '../../platform/outbound-guard/index.js';
import type { Clock } from '../../ports/clock.js';
import type { Notifier } from '../../ports/notifier.js';
import type { CallbackStatus, TaskRecord, TaskStore } from '../../ports/task-store.js';
import { signWebhook } from './sign.js';

/** Delays before retries 1..6 (ms); see the module comment. */
export const CALLBACK_RETRY_SCHEDULE_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

export interface WebhookNotifierOptions {
  store: TaskStore;
  clock: Clock;
  guard: OutboundGuard;
  /** The signed result URL of a succeeded task (data.file). */
  resultUrlOf: (task: TaskRecord) => string | Promise<string>;
  log?: Logger;
  /** Per-attempt time limit, default 10 s. */
  timeoutMs?: number;
  schedule?: readonly number[];
}

/** Failures no retry can fix; the guard refusing the address is one (issue 13: no retry schedule for it). */
const PERMANENT: ReadonlySet<string> = new Set(['scheme', 'bad-url', 'port', 'forbidden-address']);

export function createWebhookNotifier(o: WebhookNotifierOptions): Notifier {
  const schedule = o.schedule ?? CALLBACK_RETRY_SCHEDULE_MS;
  const timeoutMs = o.timeoutMs ?? 10_000;

  async function attempt(task: TaskRecord, url: string, attemptNo: number): Promise<{ status?: number; error?: string; permanent?: boolean }> {
    const key = await o.store.getKey(task.keyId);
    if (!key) return { error: 'the task\'s API key no longer exists', permanent: true };
    // The delivery's own bookkeeping stays out of the body: every attempt posts the same JSON.
    const body = JSON.stringify(toQueryBody({ ...task, callback: undefined }, task.state === 1 ? await o.resultUrlOf(task) : undefined));
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'docr-webhook/1',
      ...signWebhook(key.webhookSecret, `msg_${task.id}`, Math.floor(o.clock.now() / 1000), body),
    };
    try {
      const res = await o.guard.request(url, { method: 'POST', headers, body, totalTimeoutMs: timeoutMs, followRedirects: false });
      discard(res.body); // the receiver's answer body is not used
      return res.status >= 200 && res.status < 300 ? { status: res.status } : { status: res.status, error: `HTTP ${res.status}` };
    } catch (e) {
      if (e instanceof OutboundError) return { error: e.message, permanent: PERMANENT.has(e.kind) };
      o.log?.warn('callback attempt failed', { taskId: task.id, attempt: attemptNo, cause: String(e) });
      return { error: 'the request failed' };
    }
  }

  return {
    async deliver(task) {
      const url = task.options.callbackUrl;
      const prior = task.callback ?? { attempts: 0, delivered: false };
      if (!url || prior.delivered) return prior;
      const started = o.clock.now();
      const attempts = prior.attempts + 1;
      // Mark the attempt in flight: another poller (or this one after a crash) waits until it had its chance.
      await o.store.updateCallback(task.id, { ...prior, nextAttemptAt: started + timeoutMs + 5_000 });
      const r = await attempt(task, url, attempts);
      const delivered = r.error === undefined;
      const delay = schedule[attempts - 1];
      const status: CallbackStatus = {
        attempts, delivered, lastStatus: r.status, lastError: r.error,
        nextAttemptAt: delivered || r.permanent || delay === undefined ? undefined : o.clock.now() + delay,
      };
      await o.store.updateCallback(task.id, status);
      return status;
    },
  };
}

export { signWebhook } from './sign.js';
