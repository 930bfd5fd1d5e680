import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { createSqliteTaskStore } from '../../src/adapters/task-store-sqlite/index.js';
import { describeTaskStore } from './task-store.suite.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-store-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeTaskStore('sqlite (file, WAL)', async (clock) => createSqliteTaskStore({ path: path.join(dir, `t${n++}.db`), clock }));
describeTaskStore('sqlite (memory)', async (clock) => createSqliteTaskStore({ path: ':memory:', clock }));
