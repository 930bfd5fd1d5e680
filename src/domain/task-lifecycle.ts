/**
 * The task lifecycle rules (claim, lease, update, cancel, requeue), pure and shared by every
 * TaskStore: a store loads a task, asks a rule for the next record, and writes it by
 * compare-and-set (a transaction in SQLite, a version check in PostgreSQL). A rule returns
 * undefined when the change is refused; the store then writes nothing.
 *
 * Written over the fields the rules need, so that domain/ names no port type; the port's
 * TaskRecord has them all.
 */
import { canTransition, isFinal, TaskState, WORKING_STATES } from './task-state.js';

export interface LifecycleTask {
  state: number;
  /** 0..100, never decreasing; 100 exactly when state is 1. */
  progress: number;
  attempts: number;
  leaseOwner?: string;
  leaseUntil?: number;
  processedAt?: number;
  completedAt?: number;
  errorCode?: string;
  errorMessage?: string;
  /** The document password, sealed (TaskOptions.sealedPassword): erased when the task ends. */
  options: { sealedPassword?: string };
}

/** A repeated Idempotency-Key returns the first task within this window (SPEC §7). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

/** Queued, or held by a worker whose lease ran out before `now`. */
export function isClaimable(t: LifecycleTask, now: number): boolean {
  if (t.state === TaskState.Queued) return true;
  return WORKING_STATES.includes(t.state) && (t.leaseUntil === undefined || t.leaseUntil < now);
}

/** Claim: Preparing, held by `owner` until `leaseUntil`, one more attempt, processedAt set the first time. */
export function claimed<T extends LifecycleTask>(t: T, owner: string, leaseUntil: number, now: number): T | undefined {
  if (!isClaimable(t, now)) return undefined;
  return { ...t, state: TaskState.Preparing, leaseOwner: owner, leaseUntil, attempts: t.attempts + 1, processedAt: t.processedAt ?? now };
}

/**
 * The lease holder's write: refused for anyone else and for a task already final (a final
 * state is final, whoever holds the lease); state changes must be allowed transitions.
 * `undefined` values in the patch are ignored. Progress only rises, stays below 100 until
 * success and is 100 exactly at state 1. Ending the task sets completedAt (when unset) and
 * drops the lease time.
 */
export function patched<T extends LifecycleTask>(t: T, owner: string, patch: Partial<T>, now: number): T | undefined {
  if (t.leaseOwner !== owner || isFinal(t.state)) return undefined;
  if (patch.state !== undefined && patch.state !== t.state && !canTransition(t.state, patch.state)) return undefined;
  const next: T = { ...t, ...definedOnly(patch) };
  next.progress = next.state === TaskState.Succeeded ? 100 : Math.min(99, Math.max(t.progress, next.progress));
  return isFinal(next.state) ? ended(next, now) : next;
}

/** What every end writes: completedAt (when unset), no lease time, and no password, not even sealed. */
function ended<T extends LifecycleTask>(t: T, now: number): T {
  const { sealedPassword: _erased, ...options } = t.options;
  return { ...t, completedAt: t.completedAt ?? now, leaseUntil: undefined, options };
}

/** Back to Queued after its worker died or handed it back (attempts kept); undefined unless it was working. */
export function requeued<T extends LifecycleTask>(t: T): T | undefined {
  if (!canTransition(t.state, TaskState.Queued)) return undefined;
  return { ...t, state: TaskState.Queued, leaseOwner: undefined, leaseUntil: undefined };
}

/** The client's DELETE: -13 with `message`; undefined when the task is already final. */
export function cancelled<T extends LifecycleTask>(t: T, message: string, now: number): T | undefined {
  if (isFinal(t.state)) return undefined;
  return ended({ ...t, state: TaskState.Cancelled, errorCode: 'CANCELLED', errorMessage: message, completedAt: now }, now);
}

/** Fields of the callback bookkeeping the due-time rule reads. */
export interface CallbackFields {
  state: number;
  createdAt: number;
  completedAt?: number;
  options: { callbackUrl?: string };
  callback?: { delivered: boolean; nextAttemptAt?: number };
}

/** When the task's callback is next due: at completion, then at the notifier's nextAttemptAt; undefined when none is owed. */
export function callbackDueAt(t: CallbackFields): number | undefined {
  if (!isFinal(t.state) || !t.options.callbackUrl) return undefined;
  if (!t.callback) return t.completedAt ?? t.createdAt;
  if (t.callback.delivered) return undefined;
  return t.callback.nextAttemptAt;
}

export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
