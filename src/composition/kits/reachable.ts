/**
 * Reaching the scaled kit's servers at boot: each is tried with growing pauses (0.25 s up to
 * 5 s) until `timeoutMs` has passed; an answer that no retry can change (bad credentials, a
 * missing bucket or database) fails at once. Every server that could not be used is named in
 * one error, with the setting to check.
 */
import { DocrError } from '../../domain/errors.js';

export interface Server {
  /** "PostgreSQL", "Redis", "S3". */
  name: string;
  /** Where, without secrets: "postgres://docr@db:5432/docr". */
  where: string;
  /** The settings to check when it fails. */
  settings: string;
  probe(): Promise<void>;
  /** True when the failure is the network's (worth retrying). */
  transient(e: unknown): boolean;
}

const FIRST_PAUSE_MS = 250;
const MAX_PAUSE_MS = 5000;

export async function reachAll(servers: Server[], timeoutMs: number): Promise<void> {
  const failures = (await Promise.all(servers.map((s) => reach(s, timeoutMs)))).filter((f): f is string => f !== undefined);
  if (failures.length > 0) throw new DocrError('UNAVAILABLE', failures.join('\n'), { servers: servers.map((s) => s.name) });
}

async function reach(server: Server, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      await server.probe();
      return undefined;
    } catch (e) {
      const why = describe(e);
      if (!server.transient(e)) return `${server.name} at ${server.where} refused docr: ${why}; check ${server.settings}`;
      if (Date.now() + pause > deadline) {
        return `cannot reach ${server.name} at ${server.where} (${why}) after ${Math.round(timeoutMs / 1000)} s; check ${server.settings} and that the server runs`;
      }
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(MAX_PAUSE_MS, pause * 2);
    }
  }
}

/** The first line of an error, with its code when it has one. */
export function describe(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown; name?: unknown };
  const message = String(err?.message ?? e).split('\n')[0] || String(err?.name ?? 'error');
  return typeof err?.code === 'string' && !message.includes(err.code) ? `${err.code}: ${message}` : message;
}

/** Network failures that a later try may not meet (Node's socket codes). */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE',
]);

/** A URL with its password replaced, fit for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
