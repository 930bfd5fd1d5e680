/**
 * Waiting for a task's next write on any node: one LISTEN connection per process, opened on
 * the first wait, fanning NOTIFY payloads (task ids) out to the waiters of that id. If the
 * connection is lost, waits simply run to their timeout (callers re-read the task then) and
 * the next wait reconnects.
 */
import pg from 'pg';

export interface ChangeListener {
  wait(id: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export function createChangeListener(connectionString: string, channel: string): ChangeListener {
  const waiters = new Map<string, Set<() => void>>();
  let client: Promise<pg.Client | undefined> | undefined;
  let closed = false;

  function connect(): Promise<pg.Client | undefined> {
    client ??= (async () => {
      const c = new pg.Client({ connectionString });
      const drop = () => { client = undefined; c.end().catch(() => {}); };
      c.on('error', drop);
      c.on('end', () => { client = undefined; });
      c.on('notification', (n) => { for (const wake of waiters.get(n.payload ?? '') ?? []) wake(); });
      try {
        await c.connect();
        await c.query(`LISTEN ${channel}`);
        return c;
      } catch {
        drop();
        return undefined;
      }
    })();
    return client;
  }

  return {
    async wait(id, timeoutMs, signal) {
      if (closed || signal?.aborted) return;
      void connect();
      await new Promise<void>((resolve) => {
        const set = waiters.get(id) ?? new Set();
        waiters.set(id, set);
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          set.delete(done);
          if (set.size === 0) waiters.delete(id);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal?.addEventListener('abort', done, { once: true });
        set.add(done);
      });
    },
    async close() {
      closed = true;
      for (const set of waiters.values()) for (const wake of set) wake();
      const c = await client;
      await c?.end().catch(() => {});
    },
  };
}
