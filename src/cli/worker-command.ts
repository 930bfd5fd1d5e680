/**
 * `docr worker` (scaled mode): task slots beside the API nodes, sharing their PostgreSQL,
 * Redis and object store; /healthz, /readyz and /metrics on --admin-port, no public API.
 * SIGTERM/SIGINT: no new tasks, running ones finish within --shutdown-grace or are handed
 * back to the queue for another worker.
 */
import { loadConfig } from '../config/index.js';
import { startWorkerProcess } from '../composition/worker-process.js';
import { UsageError } from './args.js';
import { onStopSignals } from './signals.js';

export const WORKER_USAGE = `usage: docr worker [--workers N] [--admin-port 8081] [options of docr serve --help]
Scaled mode only (DOCR_MODE=scaled, with DOCR_DATABASE_URL, DOCR_REDIS_URL and DOCR_S3_*):
runs N OCR tasks at once from the shared queue; /healthz, /readyz, /metrics on the admin port.`;

export async function runWorkerCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { console.log(WORKER_USAGE); return 0; }
  const config = loadConfig(env, argv);
  if (config.mode !== 'scaled') {
    throw new UsageError('docr worker runs beside API nodes in scaled mode (DOCR_MODE=scaled or --mode scaled); in embedded mode docr serve runs its workers itself');
  }
  if (config.workers === 0) throw new UsageError('docr worker needs --workers 1 or more');
  const w = await startWorkerProcess(config);
  console.error(`docr worker ${w.worker.id} is running ${config.workers} task slots (admin on ${w.adminAddress}: /healthz /readyz /metrics)`);
  return onStopSignals(config.shutdownGrace, () => w.close());
}
