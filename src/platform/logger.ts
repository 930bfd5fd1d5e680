/**
 * Logging through pino: JSON lines when the stream is not a terminal (for log shippers),
 * readable one-line logs with colours on a terminal (pino-pretty). The HTTP app logs
 * through `createPino` on stdout, the worker and the rest through `createLogger` on stderr:
 * one format, one level, whichever a line comes from.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type PinoPretty from 'pino-pretty';

/**
 * pino-pretty's stream, made when the first line is written: its ~45 ms of imports are not
 * paid by a process that logs JSON or nothing (a `docr ocr` run on a terminal logs nothing).
 */
function lazyPretty(options: PinoPretty.PrettyOptions): DestinationStream {
  let stream: DestinationStream | undefined;
  return { write: (line) => (stream ??= (createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty)(options)).write(line) };
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface PinoOptions {
  /** Where lines go; default stdout (fd 1). */
  fd?: 1 | 2;
  /** Readable lines instead of JSON; default: when the stream is a terminal. */
  pretty?: boolean;
  /** A stream of one's own (tests): JSON lines go there. */
  destination?: DestinationStream;
}

function isTerminal(fd: 1 | 2): boolean {
  return (fd === 1 ? process.stdout : process.stderr).isTTY === true;
}

/** A pino logger: JSON lines, or pino-pretty's one-line form on a terminal. */
export function createPino(level: LogLevel, opts: PinoOptions = {}): Pino {
  const fd = opts.fd ?? 1;
  if (opts.destination) return pino({ level }, opts.destination);
  if (opts.pretty ?? isTerminal(fd)) {
    return pino({ level }, lazyPretty({
      destination: fd, singleLine: true, colorize: isTerminal(fd), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname',
    }));
  }
  // Lines are written in batches of about 8 KB, flushed at least twice a second: a server
  // answering thousands of requests a second makes a few writes instead of one a line, and
  // a quiet one still shows each line within half a second (pino flushes on exit).
  const stream = pino.destination({ fd, sync: false, minLength: 8 * 1024 });
  setInterval(() => { try { stream.flush(); } catch { /* a flush already running */ } }, 500).unref();
  return pino({ level }, stream);
}

/** The project's logger shape (message first) over pino, on stderr unless told; `write` receives each JSON line. */
export function createLogger(level: LogLevel = 'info', base: Record<string, unknown> = {}, opts: PinoOptions | ((line: string) => void) = {}): Logger {
  const o = typeof opts === 'function' ? { destination: { write: opts } } : opts;
  return wrap(createPino(level, { fd: 2, ...o }).child(base));
}

function wrap(p: Pino): Logger {
  return {
    info: (msg, fields = {}) => p.info(fields, msg),
    warn: (msg, fields = {}) => p.warn(fields, msg),
    error: (msg, fields = {}) => p.error(fields, msg),
    debug: (msg, fields = {}) => p.debug(fields, msg),
    child: (fields) => wrap(p.child(fields)),
  };
}
