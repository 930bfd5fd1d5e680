/** Record ⇄ row mapping for the SQLite TaskStore. */
import { callbackDueAt } from '../../domain/task-lifecycle.js';
import type { ApiKeyRecord, TaskRecord } from '../../ports/task-store.js';

export interface TaskRow {
  id: string; key_id: string; state: number; created_at: number; completed_at: number | null;
  lease_until: number | null; has_result: number; callback_due: number | null; idempotency_key: string | null; doc: string;
}

export interface KeyRow {
  id: string; name: string; hash: string; webhook_secret: string; credits: number; qps: number; disabled: number; created_at: number;
}

export function toTaskRow(t: TaskRecord): TaskRow {
  return {
    id: t.id,
    key_id: t.keyId,
    state: t.state,
    created_at: t.createdAt,
    completed_at: t.completedAt ?? null,
    lease_until: t.leaseUntil ?? null,
    has_result: t.resultKey ? 1 : 0,
    callback_due: callbackDueAt(t) ?? null,
    idempotency_key: t.idempotencyKey ?? null,
    doc: JSON.stringify(t),
  };
}

export const fromTaskDoc = (doc: string): TaskRecord => JSON.parse(doc) as TaskRecord;

export const fromTaskRow = (r: TaskRow): TaskRecord => fromTaskDoc(r.doc);

export const toKeyRow = (k: ApiKeyRecord): KeyRow => ({
  id: k.id, name: k.name, hash: k.hash, webhook_secret: k.webhookSecret, credits: k.credits,
  qps: k.qps, disabled: k.disabled ? 1 : 0, created_at: k.createdAt,
});

export const fromKeyRow = (r: KeyRow): ApiKeyRecord => ({
  id: r.id, name: r.name, hash: r.hash, webhookSecret: r.webhook_secret, credits: r.credits,
  qps: r.qps, disabled: r.disabled === 1, createdAt: r.created_at,
});
