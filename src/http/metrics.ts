/**
 * The HTTP layer's metrics registry: the process's shared one (src/platform/metrics.ts), so
 * /metrics shows what the worker, the engine pool and the callbacks report beside the
 * requests.
 */
export { Metrics } from '../platform/metrics.js';
