/**
 * API keys (SPEC §1.4): created by the CLI, shown once, stored as a SHA-256 hash; every
 * call but the result download presents one in X-API-KEY.
 */
import { DocrError } from '../domain/errors.js';
import { constantTimeEqual, newApiKey, newKeyId, newWebhookSecret, sha256Hex } from '../platform/ids.js';
import type { Clock } from '../ports/clock.js';
import type { ApiKeyRecord, TaskStore } from '../ports/task-store.js';

export interface NewKeyOptions {
  name?: string;
  credits: number;
  qps: number;
}

export interface CreatedKey {
  /** The key itself: shown once, never stored. */
  key: string;
  record: ApiKeyRecord;
}

export async function createApiKey(store: TaskStore, clock: Clock, opts: NewKeyOptions): Promise<CreatedKey> {
  if (!Number.isInteger(opts.credits) || opts.credits < 0) throw new DocrError('BAD_PARAMETER', 'credits must be a whole number, 0 or more', { field: 'credits' });
  if (!(opts.qps > 0)) throw new DocrError('BAD_PARAMETER', 'qps must be more than 0', { field: 'qps' });
  const key = newApiKey();
  const record: ApiKeyRecord = {
    id: newKeyId(), name: opts.name ?? '', hash: sha256Hex(key), webhookSecret: newWebhookSecret(),
    credits: opts.credits, qps: opts.qps, disabled: false, createdAt: clock.now(),
  };
  await store.createKey(record);
  return { key, record };
}

/**
 * Recently seen keys by hash, for the hot query path: a poller presents the same key many
 * times a second, and its record need not be read each time. Entries live `ttlMs` (so a
 * disabled key is refused within that time); creates always read the store (credits).
 */
export class KeyCache {
  private readonly entries = new Map<string, { key: ApiKeyRecord; until: number }>();

  constructor(private readonly clock: Clock, private readonly ttlMs = 1000, private readonly max = 10_000) {}

  get(hash: string): ApiKeyRecord | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    if (e.until > this.clock.now()) return e.key;
    this.entries.delete(hash);
    return undefined;
  }

  set(hash: string, key: ApiKeyRecord): void {
    if (this.entries.size >= this.max) this.entries.clear(); // bounded; refilled by the next lookups
    this.entries.set(hash, { key, until: this.clock.now() + this.ttlMs });
  }
}

/** Resolves the presented key or throws UNAUTHORIZED (missing, unknown or disabled). */
export async function authenticate(store: TaskStore, presented: string | undefined, cache?: KeyCache): Promise<ApiKeyRecord> {
  if (!presented) throw new DocrError('UNAUTHORIZED', 'the X-API-KEY header is missing');
  const hash = sha256Hex(presented.trim());
  const cached = cache?.get(hash);
  if (cached) return cached;
  const found = await store.findKeyByHash(hash);
  // The lookup is by hash (the key itself never reaches the database); the final compare is constant-time.
  if (!found || !constantTimeEqual(found.hash, hash)) throw new DocrError('UNAUTHORIZED', 'the API key in X-API-KEY is not valid');
  if (found.disabled) throw new DocrError('UNAUTHORIZED', 'the API key in X-API-KEY is disabled');
  cache?.set(hash, found);
  return found;
}

/** Finds a key by its id or, failing that, by its name (CLI convenience). */
export async function findKey(store: TaskStore, idOrName: string): Promise<ApiKeyRecord> {
  const byId = await store.getKey(idOrName);
  if (byId) return byId;
  const byName = (await store.listKeys()).filter((k) => k.name === idOrName);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) throw new DocrError('BAD_PARAMETER', `several keys are named "${idOrName}"; use the key id`);
  throw new DocrError('NOT_FOUND', `no key with id or name "${idOrName}"`);
}
