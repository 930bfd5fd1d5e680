/**
 * The PostgreSQL schema as numbered migrations, applied in order, each once, in one
 * transaction under an advisory lock (several nodes may start with DOCR_MIGRATE=1 at once).
 * Never edit a migration that has shipped: add the next number. `docr migrate` applies
 * them; a node refuses to start on a database that is behind (or ahead of) its code.
 */
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tasks, api keys',
    sql: `
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  hash text NOT NULL UNIQUE,
  webhook_secret text NOT NULL,
  credits bigint NOT NULL CHECK (credits >= 0),
  qps double precision NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL
);
-- A task is kept whole in doc; the columns beside it are what queries filter on, rewritten
-- from the record on every write. version makes every write a compare-and-set.
CREATE TABLE tasks (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  key_id text NOT NULL,
  state integer NOT NULL,
  created_at bigint NOT NULL,
  completed_at bigint,
  lease_until bigint,
  has_result boolean NOT NULL DEFAULT false,
  callback_due bigint,
  idempotency_key text,
  version bigint NOT NULL DEFAULT 0,
  doc jsonb NOT NULL
);
CREATE INDEX tasks_state ON tasks (state, created_at, seq);
CREATE INDEX tasks_idempotency ON tasks (key_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX tasks_callback_due ON tasks (callback_due) WHERE callback_due IS NOT NULL;
CREATE INDEX tasks_results ON tasks (completed_at) WHERE has_result;
`,
  },
];

/** Any constant: the lock only keeps concurrent migrators apart. */
const LOCK_KEY = 0x646f6372; // "docr"
const TABLE = 'docr_migrations';

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Versions applied so far (none on an empty database). */
export async function appliedVersions(db: pg.Pool | pg.PoolClient): Promise<number[]> {
  const exists = await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [TABLE]);
  if (!exists.rows[0]?.t) return [];
  const rows = await db.query<{ version: number }>(`SELECT version FROM ${TABLE} ORDER BY version`);
  return rows.rows.map((r) => Number(r.version));
}

/** Applies the pending migrations; returns the versions applied now. */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(await appliedVersions(client));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query(`INSERT INTO ${TABLE} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Why this code cannot run on this database, or undefined when the schema is current. */
export async function schemaProblem(pool: pg.Pool): Promise<string | undefined> {
  const applied = await appliedVersions(pool);
  const current = applied.length ? Math.max(...applied) : 0;
  if (current > LATEST_VERSION) return `the database schema is at version ${current}, newer than this docr knows (${LATEST_VERSION}): upgrade docr on this node`;
  const pending = MIGRATIONS.filter((m) => !applied.includes(m.version)).map((m) => m.version);
  if (pending.length) return `the database schema is at version ${current} and needs migrations ${pending.join(', ')}: run \`docr migrate\` (or start with DOCR_MIGRATE=1)`;
  return undefined;
}
