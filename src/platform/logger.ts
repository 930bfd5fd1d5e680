/**
 * Logging: JSON lines on stderr, the shape Fastify's logger (pino) writes, so that one
 * tool reads both. The HTTP app uses Fastify's own logger with `fastifyLoggerOptions`.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const LEVELS: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(level: LogLevel = 'info', base: Record<string, unknown> = {},
  write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const threshold = LEVELS[level];
  const log = (lvl: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[lvl] < threshold) return;
    write(`${JSON.stringify({ level: LEVELS[lvl], time: Date.now(), ...base, ...fields, msg })}\n`);
  };
  return {
    info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug'),
    child: (fields) => createLogger(level, { ...base, ...fields }, write),
  };
}

/** Options for Fastify's built-in logger at the same level. */
export function fastifyLoggerOptions(level: LogLevel): false | { level: string } {
  return level === 'silent' ? false : { level };
}
