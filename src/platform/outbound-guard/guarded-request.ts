/**
 * One outbound HTTP request under the guard (SPEC §5), used for downloads and callbacks:
 * - http/https only; optionally a fixed set of ports (image_url: 80/443; callbacks: any);
 * - every address the host resolves to must pass the address policy; the socket is then
 *   pinned to a checked address through undici's `connect.lookup`, so a second DNS answer
 *   (rebinding) can never reach a forbidden address;
 * - redirects are followed by hand (at most `maxRedirects`), each hop re-checked;
 * - a connect timeout and a total timeout (the latter also bounds reading the body).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { Readable } from 'node:stream';
import ipaddr from 'ipaddr.js';
import type { Agent } from 'undici';
import { forbiddenRange, parseAllowList, type AddressAllowList } from './address-policy.js';
import { classifyTransportError, OutboundError } from './outbound-error.js';

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface OutboundPolicy {
  /** CIDR ranges admitted although not public, '*' or true for every address (`--allow-private-urls`). */
  allow?: readonly string[] | boolean;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Name resolution; default the system resolver (all addresses). A seam for tests and custom DNS. */
  resolve?: Resolver;
}

export interface GuardedRequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Ports the URL (and every redirect) may name; undefined: any. */
  ports?: readonly number[];
  /** Bounds the whole exchange including reading the body. */
  totalTimeoutMs: number;
  signal?: AbortSignal;
  /** Follow 3xx redirects (GET downloads); callbacks do not. Default true. */
  followRedirects?: boolean;
}

export interface GuardedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Must be consumed or destroyed by the caller. */
  body: Readable;
  url: URL;
  /** Rejects-with reason for an aborted body read: tells a timeout from a caller abort. */
  failure(e: unknown): unknown;
}

export interface OutboundGuard {
  request(url: string, options: GuardedRequestOptions): Promise<GuardedResponse>;
  close(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const defaultResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export function createOutboundGuard(policy: OutboundPolicy = {}): OutboundGuard {
  const allow = parseAllowList(policy.allow);
  const resolve = policy.resolve ?? defaultResolver;
  // undici is loaded with the first request: `docr ocr` and API-only processes that never
  // fetch a URL or send a callback do not pay for its import (~150 ms, issue 11).
  let client: Promise<{ agent: Agent; request: typeof import('undici').request }> | undefined;
  const connect = () => (client ??= import('undici').then(({ Agent: UndiciAgent, request }) => ({
    request,
    agent: new UndiciAgent({
      keepAliveTimeout: 1_000,
      connect: { timeout: policy.connectTimeoutMs ?? 10_000, lookup: pinnedLookup(resolve, allow) },
    }),
  })));
  const maxRedirects = policy.maxRedirects ?? 5;

  async function send(url: string, options: GuardedRequestOptions): Promise<GuardedResponse> {
    const timeout = AbortSignal.timeout(options.totalTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const failure = (e: unknown): unknown => {
      if (options.signal?.aborted) return options.signal.reason;
      if (timeout.aborted) return new OutboundError('timeout', `no complete answer within ${Math.round(options.totalTimeoutMs / 1000)} s`, {}, { cause: e });
      return e;
    };
    let current = parseTarget(url);
    for (let hop = 0; ; hop++) {
      checkTarget(current, options.ports, allow);
      let res;
      try {
        const { agent, request } = await connect();
        res = await request(current, {
          method: hop === 0 ? (options.method ?? 'GET') : 'GET',
          headers: options.headers, body: hop === 0 ? options.body : undefined, signal, dispatcher: agent,
        });
      } catch (e) {
        const f = failure(e);
        if (f !== e) throw f;
        throw classifyTransportError(e, current.host);
      }
      const location = res.headers.location;
      if ((options.followRedirects ?? true) && REDIRECTS.has(res.statusCode) && typeof location === 'string') {
        discard(res.body);
        if (hop >= maxRedirects) throw new OutboundError('too-many-redirects', `more than ${maxRedirects} redirects`, { url: current.href });
        current = parseTarget(location, current);
        continue;
      }
      return { status: res.statusCode, headers: res.headers, body: res.body, url: current, failure };
    }
  }

  return { request: send, close: async () => { if (client) await (await client).agent.close(); } };
}

/** Drops a body we will not read; undici reports the abort as an error event, which is expected here. */
export function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

function parseTarget(raw: string, base?: URL): URL {
  try {
    return new URL(raw, base);
  } catch {
    throw new OutboundError('bad-url', `not a valid URL: ${raw.slice(0, 200)}`);
  }
}

/** Scheme, port and (for IP literals, which never reach the lookup) address checks. */
function checkTarget(url: URL, ports: readonly number[] | undefined, allow: AddressAllowList): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('scheme', `only http and https URLs are allowed, not ${url.protocol.replace(':', '')}`);
  }
  if (url.username || url.password) throw new OutboundError('bad-url', 'URLs with credentials are not allowed');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (ports && !ports.includes(port)) {
    throw new OutboundError('port', `port ${port} is not allowed (only ${ports.join(' or ')})`, { port });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) assertAllowed(host, host, allow);
}

function assertAllowed(host: string, address: string, allow: AddressAllowList): void {
  const range = forbiddenRange(address, allow);
  if (range !== undefined) {
    const what = host === address ? `the address ${address}` : `${host} resolves to ${address}, which`;
    throw new OutboundError('forbidden-address', `${what} is not a public address (${range}) and may not be contacted`, { host, address, range });
  }
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `net.connect` lookup that resolves, refuses the whole host if any address is forbidden
 * (SPEC §5: every resolved address must be public), and hands net only checked addresses.
 */
function pinnedLookup(resolve: Resolver, allow: AddressAllowList) {
  return (hostname: string, options: { all?: boolean } | number, callback: LookupCallback): void => {
    const host = hostname.replace(/^\[|\]$/g, '');
    const all = typeof options === 'object' && options.all === true;
    resolveChecked(host, resolve, allow).then(
      (addrs) => (all ? callback(null, addrs) : callback(null, addrs[0].address, addrs[0].family)),
      (e: Error) => callback(e, all ? [] : ''),
    );
  };
}

async function resolveChecked(host: string, resolve: Resolver, allow: AddressAllowList): Promise<LookupAddress[]> {
  let addrs: LookupAddress[];
  if (ipaddr.isValid(host)) {
    addrs = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6 }];
  } else {
    try {
      addrs = await resolve(host);
    } catch (e) {
      throw new OutboundError('dns', `the host name ${host} could not be resolved`, { host }, { cause: e });
    }
    if (addrs.length === 0) throw new OutboundError('dns', `the host name ${host} has no address`, { host });
  }
  for (const a of addrs) assertAllowed(host, a.address, allow);
  return addrs;
}
