export { loadConfig, ConfigError, describeConfig, flagOf, envOf, parseFlags } from './load.js';
export { configSchema, REFUND_POLICIES, type DocrConfig } from './schema.js';
