/**
 * TaskStore on SQLite (better-sqlite3, WAL). Every read-modify-write runs in an IMMEDIATE
 * transaction, so several processes sharing the file (serve + `docr keys`) stay consistent;
 * what a write may change is decided by the shared lifecycle rules (domain/task-lifecycle.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DocrError } from '../../domain/errors.js';
import { cancelled, claimed, definedOnly, IDEMPOTENCY_WINDOW_MS, patched, requeued } from '../../domain/task-lifecycle.js';
import { TaskState, WORKING_STATES } from '../../domain/task-state.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { ApiKeyRecord, TaskRecord, TaskStore } from '../../ports/task-store.js';
import { DDL } from './schema.js';
import { fromKeyRow, fromTaskDoc, fromTaskRow, toKeyRow, toTaskRow, type KeyRow, type TaskRow } from './rows.js';

const WORKING = `(${WORKING_STATES.join(',')})`;

export interface SqliteTaskStoreOptions {
  /** Database file, or ':memory:'. */
  path: string;
  clock?: Clock;
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
    getDoc: db.prepare<[string], string>('SELECT doc FROM tasks WHERE id = ?').pluck(),
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
    const doc = q.getDoc.get(id);
    return doc === undefined ? undefined : fromTaskDoc(doc);
  };
  const save = (t: TaskRecord) => q.saveTask.run(toTaskRow(t));

  // peek: the record last decoded from each task's stored document, reused while the document
  // is the same string (any write, from this process or another, changes it). Bounded.
  const peeked = new Map<string, { doc: string; task: Readonly<TaskRecord> }>();
  const peek = (id: string): Readonly<TaskRecord> | undefined => {
    const doc = q.getDoc.get(id);
    if (doc === undefined) { peeked.delete(id); return undefined; }
    const seen = peeked.get(id);
    if (seen?.doc === doc) return seen.task;
    if (peeked.size >= 10_000) peeked.clear();
    const task = fromTaskDoc(doc);
    peeked.set(id, { doc, task });
    return task;
  };

  const insertCharged = db.transaction((task: TaskRecord): { task: TaskRecord; created: boolean; creditsLeft?: number } => {
    if (task.idempotencyKey) {
      const prior = q.byIdempotency.get(task.keyId, task.idempotencyKey, clock.now() - IDEMPOTENCY_WINDOW_MS);
      if (prior) return { task: fromTaskRow(prior), created: false };
    }
    if (q.charge.run(task.keyId).changes !== 1) throw new DocrError('INSUFFICIENT_CREDITS', 'insufficient credits');
    q.insertTask.run(toTaskRow(task));
    return { task, created: true, creditsLeft: q.getKey.get(task.keyId)?.credits };
  });

  /** Loads the task, asks `rule` for the next record, saves it; the new record, or undefined when refused. */
  const change = db.transaction((id: string, rule: (t: TaskRecord) => TaskRecord | undefined): TaskRecord | undefined => {
    const t = load(id);
    const next = t && rule(t);
    if (next) save(next);
    return next;
  });

  const updateKey = db.transaction((id: string, patch: Partial<Pick<ApiKeyRecord, 'credits' | 'qps' | 'disabled' | 'name'>>) => {
    const row = q.getKey.get(id);
    if (!row) return false;
    const next = toKeyRow({ ...fromKeyRow(row), ...definedOnly(patch) });
    db.prepare('UPDATE api_keys SET name = @name, credits = @credits, qps = @qps, disabled = @disabled WHERE id = @id').run(next);
    return true;
  });

  return {
    insertCharged: async (task) => insertCharged.immediate(task),
    get: async (id) => load(id),
    peek: async (id) => peek(id),
    claim: async (id, owner, leaseUntil) => change.immediate(id, (t) => claimed(t, owner, leaseUntil, clock.now())),
    update: async (id, owner, patch) => change.immediate(id, (t) => patched<TaskRecord>(t, owner, patch, clock.now())) !== undefined,
    updateCallback: async (id, status) => { change.immediate(id, (t) => ({ ...t, callback: status })); },
    listExpiredLeases: async (now) => q.expiredLeases.all(now).map(fromTaskRow),
    requeue: async (id) => { change.immediate(id, (t) => requeued(t)); },
    listQueued: async (limit) => q.queued.all(limit).map(fromTaskRow),
    listDueCallbacks: async (now) => q.dueCallbacks.all(now).map(fromTaskRow),
    listExpiredResults: async (before) => q.expiredResults.all(before).map(fromTaskRow),
    clearResult: async (id) => { change.immediate(id, (t) => ({ ...t, resultKey: undefined })); },
    cancel: async (id, message) => change.immediate(id, (t) => cancelled(t, message, clock.now())) ?? load(id),
    refund: async (keyId) => { q.refund.run(keyId); },
    createKey: async (key) => { q.insertKey.run(toKeyRow(key)); },
    findKeyByHash: async (hash) => { const r = q.keyByHash.get(hash); return r ? fromKeyRow(r) : undefined; },
    getKey: async (id) => { const r = q.getKey.get(id); return r ? fromKeyRow(r) : undefined; },
    listKeys: async () => q.listKeys.all().map(fromKeyRow),
    updateKey: async (id, patch) => updateKey.immediate(id, patch),
    close: async () => { if (db.open) db.close(); },
  };
}
