import { createLocalJobQueue } from '../../src/adapters/job-queue-local/index.js';
import type { JobQueue } from '../../src/ports/job-queue.js';
import { describeJobQueue } from './job-queue.suite.js';

// In-process: "another process's view" is the same object.
describeJobQueue('local (in-process)', async () => {
  let q: JobQueue | undefined;
  return {
    open: async () => (q ??= createLocalJobQueue()),
    cleanup: async () => { q = undefined; },
  };
}, { crashable: false });
