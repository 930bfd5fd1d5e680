/**
 * TaskStore on PostgreSQL (scaled mode, SPEC §6): every API node and worker shares it. Task
 * writes are compare-and-set on a version column, deciding the next record with the shared
 * lifecycle rules (domain/task-lifecycle.ts); the charge and the insert of a create run in one
 * transaction that holds the key's row, so concurrent creates on one key never overspend.
 * Every task write also NOTIFYs its id, which `waitForChange` listens for.
 */
import type pg from 'pg';
import { DocrError } from '../../domain/errors.js';
import { cancelled, claimed, definedOnly, IDEMPOTENCY_WINDOW_MS, patched, requeued } from '../../domain/task-lifecycle.js';
import { TaskState, WORKING_STATES } from '../../domain/task-state.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { ApiKeyRecord, TaskRecord, TaskStore } from '../../ports/task-store.js';
import { createChangeListener } from './listen.js';
import { createPool } from './pool.js';
import { fromKeyRow, keyValues, TASK_COLUMNS, taskValues, type KeyRow } from './rows.js';

export { migrate, schemaProblem, LATEST_VERSION } from './migrations.js';
export { createPool } from './pool.js';

export interface PostgresTaskStoreOptions {
  connectionString: string;
  clock?: Clock;
  /** Connections at most (default 10). */
  poolSize?: number;
}

/** The NOTIFY channel of task writes (channels are per database). */
const CHANNEL = 'docr_task_changed';
/** Compare-and-set retries before a write gives up: only a storm of writers on one task gets here. */
const CAS_ATTEMPTS = 50;
/** Tasks whose last seen version this process keeps (a worker writes its few running tasks many times). */
const KNOWN_VERSIONS = 1000;
const WORKING = `(${WORKING_STATES.join(',')})`;
const COLS = TASK_COLUMNS.join(', ');
const SETS = TASK_COLUMNS.slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ');
/** Takes the key's credit and inserts the task in one statement; a row (the credits left) when both happened. */
const CHARGE_AND_INSERT = `WITH charged AS (
    UPDATE api_keys SET credits = credits - 1 WHERE id = $${TASK_COLUMNS.length + 1} AND credits > 0 AND NOT disabled RETURNING credits),
  inserted AS (
    INSERT INTO tasks (${COLS}) SELECT ${TASK_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')} FROM charged RETURNING id)
  SELECT credits FROM charged, inserted`;

export function createPostgresTaskStore(opts: PostgresTaskStoreOptions): TaskStore & { readonly pool: pg.Pool } {
  const clock = opts.clock ?? systemClock;
  const pool = createPool(opts.connectionString, opts.poolSize);
  const changes = createChangeListener(opts.connectionString, CHANNEL);

  const docs = async (sql: string, params: unknown[]): Promise<TaskRecord[]> =>
    (await pool.query<{ doc: TaskRecord }>(sql, params)).rows.map((r) => r.doc);

  /**
   * The record and version this process last read or wrote, per task. A write starts from it
   * and the version check tells whether it is still current: a worker's progress writes,
   * which nobody else interleaves, take one round trip instead of a read and a write.
   */
  const known = new Map<string, { doc: TaskRecord; version: number }>();
  const remember = (id: string, doc: TaskRecord, version: number) => {
    known.delete(id);
    known.set(id, { doc, version });
    if (known.size > KNOWN_VERSIONS) known.delete(known.keys().next().value!);
  };
  const read = async (id: string) => {
    const row = (await pool.query<{ doc: TaskRecord; version: number }>('SELECT doc, version FROM tasks WHERE id = $1', [id])).rows[0];
    if (row) remember(id, row.doc, row.version); else known.delete(id);
    return row;
  };

  /**
   * Asks `rule` for the next record and writes it if nobody wrote since the version it was
   * computed from (else reads the row and tries again). A refusal is only trusted on a row
   * just read, never on the remembered copy.
   */
  async function change(id: string, rule: (t: TaskRecord) => TaskRecord | undefined): Promise<TaskRecord | undefined> {
    let row = known.get(id);
    let fresh = false;
    for (let i = 0; i < CAS_ATTEMPTS; i++) {
      if (!row) { row = await read(id); fresh = true; }
      if (!row) return undefined;
      const next = rule(row.doc);
      if (!next && fresh) return undefined;
      if (next) {
        const written = await pool.query(
          `WITH w AS (UPDATE tasks SET ${SETS}, version = version + 1 WHERE id = $1 AND version = $${TASK_COLUMNS.length + 1} RETURNING id)
           SELECT pg_notify('${CHANNEL}', id) FROM w`, [...taskValues(next), row.version]);
        if (written.rowCount === 1) { remember(id, next, row.version + 1); return next; }
      }
      row = undefined;
    }
    throw new DocrError('INTERNAL', `task ${id}: too many concurrent writes; retry`, { taskId: id });
  }

  /** The charge and insert of a create on `db` (the pool, or a transaction's client). */
  async function chargeAndInsert(db: Pick<pg.Pool, 'query'>, task: TaskRecord): Promise<{ task: TaskRecord; created: true; creditsLeft: number }> {
    // One statement: the charge holds the key's row until the insert commits with it
    // (concurrent creates on the key queue there and re-check the credits), and a failed
    // insert undoes the charge. No row back: no credit to take.
    const r = await db.query<{ credits: number }>(CHARGE_AND_INSERT, [...taskValues(task), task.keyId]);
    if (r.rowCount !== 1) throw new DocrError('INSUFFICIENT_CREDITS', 'insufficient credits');
    return { task, created: true, creditsLeft: r.rows[0].credits };
  }

  async function insertCharged(task: TaskRecord): Promise<{ task: TaskRecord; created: boolean; creditsLeft?: number }> {
    if (!task.idempotencyKey) return chargeAndInsert(pool, task);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Holding the key's row serialises this key's creates on every node: the idempotency
      // check and the charge below see every earlier create of the key.
      await client.query('SELECT 1 FROM api_keys WHERE id = $1 FOR UPDATE', [task.keyId]);
      const prior = await client.query<{ doc: TaskRecord }>(
        'SELECT doc FROM tasks WHERE key_id = $1 AND idempotency_key = $2 AND created_at >= $3 ORDER BY created_at DESC LIMIT 1',
        [task.keyId, task.idempotencyKey, clock.now() - IDEMPOTENCY_WINDOW_MS]);
      const result = prior.rows[0] ? { task: prior.rows[0].doc, created: false } : await chargeAndInsert(client, task);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  const key = async (sql: string, params: unknown[]) => {
    const r = (await pool.query<KeyRow>(sql, params)).rows[0];
    return r ? fromKeyRow(r) : undefined;
  };

  return {
    pool,
    insertCharged,
    get: async (id) => (await docs('SELECT doc FROM tasks WHERE id = $1', [id]))[0],
    claim: (id, owner, leaseUntil) => change(id, (t) => claimed(t, owner, leaseUntil, clock.now())),
    update: async (id, owner, patch) => (await change(id, (t) => patched<TaskRecord>(t, owner, patch, clock.now()))) !== undefined,
    updateCallback: async (id, status) => { await change(id, (t) => ({ ...t, callback: status })); },
    listExpiredLeases: (now) => docs(`SELECT doc FROM tasks WHERE state IN ${WORKING} AND (lease_until IS NULL OR lease_until < $1) ORDER BY created_at, seq`, [now]),
    requeue: async (id) => { await change(id, (t) => requeued(t)); },
    listQueued: (limit) => docs(`SELECT doc FROM tasks WHERE state = ${TaskState.Queued} ORDER BY created_at, seq LIMIT $1`, [limit]),
    listDueCallbacks: (now) => docs('SELECT doc FROM tasks WHERE callback_due IS NOT NULL AND callback_due <= $1 ORDER BY callback_due', [now]),
    listExpiredResults: (before) => docs('SELECT doc FROM tasks WHERE has_result AND completed_at < $1 ORDER BY completed_at', [before]),
    clearResult: async (id) => { await change(id, (t) => ({ ...t, resultKey: undefined })); },
    cancel: async (id, message) => (await change(id, (t) => cancelled(t, message, clock.now()))) ?? (await docs('SELECT doc FROM tasks WHERE id = $1', [id]))[0],
    waitForChange: (id, timeoutMs, signal) => changes.wait(id, timeoutMs, signal),
    refund: async (keyId) => { await pool.query('UPDATE api_keys SET credits = credits + 1 WHERE id = $1', [keyId]); },
    createKey: async (k) => {
      await pool.query('INSERT INTO api_keys (id, name, hash, webhook_secret, credits, qps, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', keyValues(k));
    },
    findKeyByHash: (hash) => key('SELECT * FROM api_keys WHERE hash = $1', [hash]),
    getKey: (id) => key('SELECT * FROM api_keys WHERE id = $1', [id]),
    listKeys: async () => (await pool.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')).rows.map(fromKeyRow),
    updateKey: async (id, patch) => {
      const p = definedOnly(patch);
      const r = await pool.query(
        'UPDATE api_keys SET name = COALESCE($2, name), credits = COALESCE($3, credits), qps = COALESCE($4, qps), disabled = COALESCE($5, disabled) WHERE id = $1',
        [id, p.name ?? null, p.credits ?? null, p.qps ?? null, p.disabled ?? null]);
      return r.rowCount === 1;
    },
    async close() {
      await changes.close();
      await pool.end();
    },
  };
}
