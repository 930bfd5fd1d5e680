/**
 * Round-trip tracing for the scaled-mode benchmark: wraps a kit's ports (and PostgreSQL's
 * pool) so that every call is recorded with its start and end, then tells, per task, which
 * calls lay on its path from create to the query that showed state 1. Bench-only: nothing in
 * src/ knows about it.
 */
import type pg from 'pg';
import type { Kit } from '../../src/composition/kits/kit.js';

export interface TracedCall { kind: string; start: number; end: number }

export class CallLog {
  calls: TracedCall[] = [];
  /** Records `work`'s duration under `kind`; resolves or rejects as it does. */
  async time<T>(kind: string, work: () => Promise<T> | T): Promise<T> {
    const start = performance.now();
    try { return await work(); } finally { this.calls.push({ kind, start, end: performance.now() }); }
  }
  mark(kind: string, at = performance.now()): void { this.calls.push({ kind, start: at, end: at }); }
  between(from: number, to: number): TracedCall[] {
    return this.calls.filter((c) => c.start >= from && c.start <= to).sort((a, b) => a.start - b.start);
  }
  clear(): void { this.calls = []; }
}

type Fn = (...args: never[]) => unknown;

/** Replaces `names` on `obj` (plain objects of closures: the adapters are) with timed versions. */
export function timeMethods<T extends object>(log: CallLog, prefix: string, obj: T, names: (keyof T & string)[]): void {
  for (const name of names) {
    const original = obj[name] as unknown as Fn | undefined;
    if (typeof original !== 'function') continue;
    (obj as Record<string, unknown>)[name] = (...args: never[]) => log.time(`${prefix}.${name}`, () => original.apply(obj, args) as Promise<unknown>);
  }
}

/** A short name for a PostgreSQL statement, by what the store uses it for. */
export function sqlKind(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const named: [RegExp, string][] = [
    [/^SELECT doc, version FROM tasks WHERE id/, 'task CAS: read'],
    [/^WITH w AS \(UPDATE tasks .* AND version =/, 'task CAS: write'],
    [/^UPDATE tasks SET .* RETURNING/, 'task CAS: write'],
    [/^SELECT doc(, version)? FROM tasks WHERE id = \$1$/, 'task read'],
    [/^SELECT \* FROM api_keys WHERE hash/, 'key by hash'],
    [/^SELECT \* FROM api_keys WHERE id/, 'key by id'],
    [/^(BEGIN|COMMIT|ROLLBACK)/, 'create tx: BEGIN/COMMIT'],
    [/^SELECT 1 FROM api_keys .* FOR UPDATE/, 'create tx: lock key'],
    [/^UPDATE api_keys SET credits = credits - 1/, 'create tx: charge'],
    [/^INSERT INTO tasks/, 'create tx: insert'],
    [/^WITH (charged|k) AS/, 'create tx: charge+insert'],
    [/lease_until IS NULL OR lease_until/, 'background: expired leases'],
    [/callback_due IS NOT NULL/, 'background: due callbacks'],
    [/has_result AND completed_at/, 'background: expired results'],
    [/^SELECT doc FROM tasks WHERE state = /, 'background: queued'],
  ];
  for (const [re, kind] of named) if (re.test(t)) return kind;
  return t.slice(0, 48);
}

/** Times every statement sent through `pool` (pool.query and the clients of pool.connect). */
export function timePool(log: CallLog, pool: pg.Pool): void {
  const wrapClient = (client: pg.PoolClient) => {
    const marked = client as pg.PoolClient & { __timed?: boolean };
    if (marked.__timed) return client;
    marked.__timed = true;
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...a: unknown[]) => {
      const kind = `pg: ${sqlKind(textOf(a[0]))}`;
      const last = a[a.length - 1];
      // pg-pool's query() passes a callback: the statement ends when it is called.
      if (typeof last === 'function') {
        const start = performance.now();
        return query(...a.slice(0, -1), (...r: unknown[]) => { log.calls.push({ kind, start, end: performance.now() }); return (last as (...x: unknown[]) => unknown)(...r); });
      }
      return log.time(kind, () => query(...a) as Promise<unknown>);
    };
    return client;
  };
  // Every statement goes through a pool client (pool.query included), so only clients are wrapped.
  // pg-pool's own query() calls connect with a callback: both forms are kept.
  const connect = pool.connect.bind(pool) as (cb?: (e: Error | undefined, c: pg.PoolClient, done: unknown) => void) => Promise<pg.PoolClient> | undefined;
  (pool as unknown as { connect: unknown }).connect = (cb?: (e: Error | undefined, c: pg.PoolClient, done: unknown) => void) => {
    if (cb) return connect((e, c, done) => cb(e, c && wrapClient(c), done));
    return connect()!.then(wrapClient);
  };
}

const textOf = (q: unknown) => (typeof q === 'string' ? q : (q as { text?: string })?.text ?? String(q));

/**
 * Wraps a kit's ports: store methods (and its pool's statements, when it has one), blob
 * calls, queue calls and the moment a consumer's handler receives a task id.
 */
export function traceKit(log: CallLog, kit: Kit): void {
  const store = kit.store as Kit['store'] & { pool?: pg.Pool };
  if (store.pool) timePool(log, store.pool);
  timeMethods(log, 'store', store, ['insertCharged', 'get', 'claim', 'update', 'getKey', 'findKeyByHash', 'refund']);
  timeMethods(log, 'blobs', kit.blobs, ['put', 'get', 'stat', 'download', 'delete', 'directUrl']);
  timeMethods(log, 'queue', kit.queue, ['enqueue', 'size']);
  if (kit.limiter) timeMethods(log, 'limiter', kit.limiter, ['take']);
  const consume = kit.queue.consume.bind(kit.queue);
  kit.queue.consume = (handler, concurrency) => consume((taskId) => { log.mark('queue: handler receives the id'); return handler(taskId); }, concurrency);
}
