import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFsBlobStore } from '../../src/adapters/blob-store-fs/index.js';
import { describeBlobStore } from './blob-store.suite.js';

describeBlobStore('local disk', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-blobs-'));
  return { blobs: createFsBlobStore(dir), close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
});
