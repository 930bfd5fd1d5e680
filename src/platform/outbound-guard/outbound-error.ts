/**
 * Why an outbound request failed, as a stable kind (callers map kinds to their own errors;
 * never match the message). Messages are for people: they name the host, address or status.
 */
export type OutboundFailure =
  | 'scheme' | 'port' | 'forbidden-address' | 'dns' | 'refused' | 'timeout'
  | 'too-many-redirects' | 'http-status' | 'too-large' | 'tls' | 'network' | 'bad-url';

export class OutboundError extends Error {
  constructor(readonly kind: OutboundFailure, message: string, readonly details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboundError';
  }
}

/** Finds an OutboundError anywhere in a cause chain (undici and net wrap socket errors). */
export function findOutboundError(e: unknown): OutboundError | undefined {
  const seen = new Set<unknown>();
  const stack: unknown[] = [e];
  while (stack.length > 0) {
    const cur = stack.pop();
    if (cur === null || typeof cur !== 'object' || seen.has(cur)) continue;
    seen.add(cur);
    if (cur instanceof OutboundError) return cur;
    const o = cur as { cause?: unknown; errors?: unknown[] };
    stack.push(o.cause, ...(Array.isArray(o.errors) ? o.errors : []));
  }
  return undefined;
}

/** The first system or undici error code in a cause chain (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, ...). */
export function errorCodeOf(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [e];
  while (queue.length > 0) {
    const cur = queue.shift();
    if (cur === null || typeof cur !== 'object' || seen.has(cur)) continue;
    seen.add(cur);
    const o = cur as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof o.code === 'string') return o.code;
    queue.push(o.cause, ...(Array.isArray(o.errors) ? o.errors : []));
  }
  return undefined;
}

const REFUSED = new Set(['ECONNREFUSED']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA']);
const TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Translates a transport error into an OutboundError naming what happened. */
export function classifyTransportError(e: unknown, host: string): OutboundError {
  const found = findOutboundError(e);
  if (found) return found;
  const code = errorCodeOf(e);
  if (code && REFUSED.has(code)) return new OutboundError('refused', `the connection to ${host} was refused`, { code }, { cause: e });
  if (code && DNS.has(code)) return new OutboundError('dns', `the host name ${host} could not be resolved`, { code }, { cause: e });
  if (code && TIMEOUT.has(code)) return new OutboundError('timeout', `${host} did not answer in time`, { code }, { cause: e });
  if (code && (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL'))) {
    return new OutboundError('tls', `the TLS connection to ${host} failed (${code})`, { code }, { cause: e });
  }
  return new OutboundError('network', `the connection to ${host} failed${code ? ` (${code})` : ''}`, { code }, { cause: e });
}
