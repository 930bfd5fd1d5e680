import { after, before } from 'node:test';
import { createPool, createPostgresTaskStore, migrate } from '../../src/adapters/task-store-postgres/index.js';
import { createTestDatabase } from '../fixtures/scaled-services.js';
import { describeTaskStore } from './task-store.suite.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
before(async () => {
  db = await createTestDatabase();
  const pool = createPool(db.url, 1);
  await migrate(pool);
  await pool.end();
});
after(async () => { await db.drop(); });

describeTaskStore('postgres', async (clock) => {
  const store = createPostgresTaskStore({ connectionString: db.url, clock });
  await store.pool.query('TRUNCATE tasks, api_keys'); // each case starts from an empty store, as SQLite's get a new file
  return store;
});
