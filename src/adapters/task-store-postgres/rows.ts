/** Record ⇄ row mapping for the PostgreSQL TaskStore (bigint columns arrive as numbers: see pool.ts). */
import { callbackDueAt } from '../../domain/task-lifecycle.js';
import type { ApiKeyRecord, TaskRecord } from '../../ports/task-store.js';

export interface KeyRow {
  id: string; name: string; hash: string; webhook_secret: string; credits: number; qps: number; disabled: boolean; created_at: number;
}

/** The filter columns of a task, in the order of TASK_COLUMNS, then the record itself. */
export const TASK_COLUMNS = ['id', 'key_id', 'state', 'created_at', 'completed_at', 'lease_until', 'has_result', 'callback_due', 'idempotency_key', 'doc'] as const;

export function taskValues(t: TaskRecord): unknown[] {
  return [t.id, t.keyId, t.state, t.createdAt, t.completedAt ?? null, t.leaseUntil ?? null, !!t.resultKey,
    callbackDueAt(t) ?? null, t.idempotencyKey ?? null, JSON.stringify(t)];
}

export const keyValues = (k: ApiKeyRecord): unknown[] => [k.id, k.name, k.hash, k.webhookSecret, k.credits, k.qps, k.disabled, k.createdAt];

export const fromKeyRow = (r: KeyRow): ApiKeyRecord => ({
  id: r.id, name: r.name, hash: r.hash, webhookSecret: r.webhook_secret, credits: r.credits,
  qps: r.qps, disabled: r.disabled, createdAt: r.created_at,
});
