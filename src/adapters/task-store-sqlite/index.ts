/**
 * TaskStore on SQLite (better-sqlite3, WAL). Every read-modify-write runs in an IMMEDIATE
 * transaction, so several processes sharing the file (serve + `docr keys`) stay consistent.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DocrError } from '../../domain/errors.js';
import { TaskState, WORKING_STATES, isFinal } from '../../domain/task-state.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { ApiKeyRecord, CallbackStatus, TaskPatch, TaskRecord, TaskStore } from '../../ports/task-store.js';
import { DDL } from './schema.js';
import { fromKeyRow, fromTaskRow, toKeyRow, toTaskRow, type KeyRow, type TaskRow } from './rows.js';

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
const WORKING = `(${WORKING_STATES.join(',')})`;

export interface SqliteTaskStoreOptions {
  /** Database file, or ':memory:'. */
  path: string;
  clock?: Clock;
}

/** Progress only rises, stays below 100 until success and is 100 exactly at state 1. */
function nextProgress(prev: TaskRecord, next: TaskRecord): number {
  if (next.state === TaskState.Succeeded) return 100;
  return Math.min(99, Math.max(prev.progress, next.progress));
}

export function createSqliteTaskStore(opts: SqliteTaskStoreOptions): TaskStore {
  const clock = opts.clock ?? systemClock;
  if (opts.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(opts.path)), { recursive: true });
  const db = new Database(opts.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Freed content (a task's sealed password once it ends, old row versions) is zeroed, not left in free pages.
  db.pragma('secure_delete = ON');
  db.exec(DDL);

  const q = {
    getTask: db.prepare<[string], TaskRow>('SELECT * FROM tasks WHERE id = ?'),
    insertTask: db.prepare(`INSERT INTO tasks (id, key_id, state, created_at, completed_at, lease_until, has_result, callback_due, idempotency_key, doc)
      VALUES (@id, @key_id, @state, @created_at, @completed_at, @lease_until, @has_result, @callback_due, @idempotency_key, @doc)`),
    saveTask: db.prepare(`UPDATE tasks SET state = @state, completed_at = @completed_at, lease_until = @lease_until,
      has_result = @has_result, callback_due = @callback_due, doc = @doc WHERE id = @id`),
    byIdempotency: db.prepare<[string, string, number], TaskRow>(
      'SELECT * FROM tasks WHERE key_id = ? AND idempotency_key = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1'),
    expiredLeases: db.prepare<[number], TaskRow>(`SELECT * FROM tasks WHERE state IN ${WORKING} AND (lease_until IS NULL OR lease_until < ?) ORDER BY created_at`),
    queued: db.prepare<[number], TaskRow>(`SELECT * FROM tasks WHERE state = ${TaskState.Queued} ORDER BY created_at, rowid LIMIT ?`),
    dueCallbacks: db.prepare<[number], TaskRow>('SELECT * FROM tasks WHERE callback_due IS NOT NULL AND callback_due <= ? ORDER BY callback_due'),
    expiredResults: db.prepare<[number], TaskRow>('SELECT * FROM tasks WHERE has_result = 1 AND completed_at < ? ORDER BY completed_at'),
    getKey: db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?'),
    keyByHash: db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE hash = ?'),
    listKeys: db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id'),
    insertKey: db.prepare('INSERT INTO api_keys (id, name, hash, webhook_secret, credits, qps, disabled, created_at) VALUES (@id, @name, @hash, @webhook_secret, @credits, @qps, @disabled, @created_at)'),
    charge: db.prepare('UPDATE api_keys SET credits = credits - 1 WHERE id = ? AND credits > 0 AND disabled = 0'),
    refund: db.prepare('UPDATE api_keys SET credits = credits + 1 WHERE id = ?'),
  };

  const load = (id: string) => {
    const row = q.getTask.get(id);
    return row ? fromTaskRow(row) : undefined;
  };
  const save = (t: TaskRecord) => q.saveTask.run(toTaskRow(t));

  const insertCharged = db.transaction((task: TaskRecord): { task: TaskRecord; created: boolean } => {
    if (task.idempotencyKey) {
      const prior = q.byIdempotency.get(task.keyId, task.idempotencyKey, clock.now() - IDEMPOTENCY_WINDOW_MS);
      if (prior) return { task: fromTaskRow(prior), created: false };
    }
    if (q.charge.run(task.keyId).changes !== 1) throw new DocrError('INSUFFICIENT_CREDITS', 'insufficient credits');
    q.insertTask.run(toTaskRow(task));
    return { task, created: true };
  });

  const claim = db.transaction((id: string, owner: string, leaseUntil: number): TaskRecord | undefined => {
    const t = load(id);
    if (!t) return undefined;
    const now = clock.now();
    const leaseExpired = WORKING_STATES.includes(t.state) && (t.leaseUntil === undefined || t.leaseUntil < now);
    if (t.state !== TaskState.Queued && !leaseExpired) return undefined;
    const claimed: TaskRecord = {
      ...t, state: TaskState.Preparing, leaseOwner: owner, leaseUntil, attempts: t.attempts + 1,
      processedAt: t.processedAt ?? now,
    };
    save(claimed);
    return claimed;
  });

  const update = db.transaction((id: string, owner: string, patch: TaskPatch): boolean => {
    const t = load(id);
    if (!t || t.leaseOwner !== owner) return false;
    if (isFinal(t.state) && patch.state !== undefined && patch.state !== t.state) return false;
    const next: TaskRecord = { ...t, ...stripUndefined(patch) };
    next.progress = nextProgress(t, next);
    if (isFinal(next.state) && !isFinal(t.state)) {
      next.completedAt = next.completedAt ?? clock.now();
      next.leaseUntil = undefined;
      next.options = withoutPassword(next.options);
    }
    save(next);
    return true;
  });

  const updateCallback = db.transaction((id: string, status: CallbackStatus) => {
    const t = load(id);
    if (t) save({ ...t, callback: status });
  });

  const requeue = db.transaction((id: string) => {
    const t = load(id);
    if (!t || isFinal(t.state)) return;
    save({ ...t, state: TaskState.Queued, leaseOwner: undefined, leaseUntil: undefined });
  });

  const cancel = db.transaction((id: string, message: string): TaskRecord | undefined => {
    const t = load(id);
    if (!t || isFinal(t.state)) return t;
    const next: TaskRecord = { ...t, state: TaskState.Cancelled, errorCode: 'CANCELLED', errorMessage: message,
      completedAt: clock.now(), leaseUntil: undefined, options: withoutPassword(t.options) };
    save(next);
    return next;
  });

  const clearResult = db.transaction((id: string) => {
    const t = load(id);
    if (t) save({ ...t, resultKey: undefined });
  });

  const updateKey = db.transaction((id: string, patch: Partial<Pick<ApiKeyRecord, 'credits' | 'qps' | 'disabled' | 'name'>>) => {
    const row = q.getKey.get(id);
    if (!row) return false;
    const next = toKeyRow({ ...fromKeyRow(row), ...stripUndefined(patch) });
    db.prepare('UPDATE api_keys SET name = @name, credits = @credits, qps = @qps, disabled = @disabled WHERE id = @id').run(next);
    return true;
  });

  return {
    insertCharged: async (task) => insertCharged.immediate(task),
    get: async (id) => load(id),
    claim: async (id, owner, leaseUntil) => claim.immediate(id, owner, leaseUntil),
    update: async (id, owner, patch) => update.immediate(id, owner, patch),
    updateCallback: async (id, status) => updateCallback.immediate(id, status),
    listExpiredLeases: async (now) => q.expiredLeases.all(now).map(fromTaskRow),
    requeue: async (id) => requeue.immediate(id),
    listQueued: async (limit) => q.queued.all(limit).map(fromTaskRow),
    listDueCallbacks: async (now) => q.dueCallbacks.all(now).map(fromTaskRow),
    listExpiredResults: async (before) => q.expiredResults.all(before).map(fromTaskRow),
    clearResult: async (id) => clearResult.immediate(id),
    cancel: async (id, message) => cancel.immediate(id, message),
    refund: async (keyId) => { q.refund.run(keyId); },
    createKey: async (key) => { q.insertKey.run(toKeyRow(key)); },
    findKeyByHash: async (hash) => { const r = q.keyByHash.get(hash); return r ? fromKeyRow(r) : undefined; },
    getKey: async (id) => { const r = q.getKey.get(id); return r ? fromKeyRow(r) : undefined; },
    listKeys: async () => q.listKeys.all().map(fromKeyRow),
    updateKey: async (id, patch) => updateKey.immediate(id, patch),
    close: async () => { if (db.open) db.close(); },
  };
}

/** A final task keeps no password, not even sealed. */
function withoutPassword(options: TaskRecord['options']): TaskRecord['options'] {
  const { sealedPassword: _dropped, ...rest } = options;
  return rest;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
