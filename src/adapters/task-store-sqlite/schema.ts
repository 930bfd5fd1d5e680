/**
 * SQLite layout. A task is kept whole as JSON in `doc`; the columns beside it are the
 * ones queries filter on, recomputed from the record on every write (rows.ts).
 */
export const SCHEMA_VERSION = 1;

export const DDL = `
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  webhook_secret TEXT NOT NULL,
  credits INTEGER NOT NULL CHECK (credits >= 0),
  qps REAL NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  state INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  completed_at INTEGER,
  lease_until INTEGER,
  has_result INTEGER NOT NULL DEFAULT 0,
  callback_due INTEGER,
  idempotency_key TEXT,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_state ON tasks (state, created_at);
CREATE INDEX IF NOT EXISTS tasks_idempotency ON tasks (key_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS tasks_callback_due ON tasks (callback_due) WHERE callback_due IS NOT NULL;
CREATE INDEX IF NOT EXISTS tasks_results ON tasks (completed_at) WHERE has_result = 1;
`;
