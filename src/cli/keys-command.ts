/**
 * `docr keys create|list|disable|enable|credits`: API keys in the mode's database (embedded: the
 * data dir's SQLite, shared safely with a running `docr serve`; scaled: DOCR_DATABASE_URL).
 */
import { createApiKey, findKey } from '../app/keys.js';
import { openTaskStore } from '../composition/kits/index.js';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../platform/logger.js';
import { systemClock } from '../ports/clock.js';
import type { ApiKeyRecord } from '../ports/task-store.js';
import { numberOption, takeOption, takePositional, UsageError } from './args.js';
import { KEYS_USAGE } from './keys-usage.js';

export { KEYS_USAGE };

const DEFAULT_CREDITS = 100;
const kitEnv = { clock: systemClock, log: createLogger('warn') };

const view = (k: ApiKeyRecord) => ({
  id: k.id, name: k.name, credits: k.credits, qps: k.qps, disabled: k.disabled, created_at: new Date(k.createdAt).toISOString(),
});

export async function runKeysCommand(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void = console.log): Promise<number> {
  const args = [...argv];
  const sub = takePositional(args);
  if (!sub || sub === 'help' || sub === '--help') { out(KEYS_USAGE); return sub ? 0 : 2; }
  const json = takeOption(args, 'json', { boolean: true }) === 'true';

  if (sub === 'create') {
    const credits = numberOption(args, 'credits') ?? DEFAULT_CREDITS;
    const qpsArg = numberOption(args, 'qps');
    const name = takeOption(args, 'name');
    const config = loadConfig(env, args);
    const store = await openTaskStore(config, kitEnv);
    try {
      const { key, record } = await createApiKey(store, systemClock, { credits, qps: qpsArg ?? config.defaultQps, name });
      if (json) {
        out(JSON.stringify({ key, id: record.id, name: record.name, credits: record.credits, qps: record.qps, webhook_secret: record.webhookSecret }));
      } else {
        out(`key:            ${key}`);
        out(`id:             ${record.id}${record.name ? ` (${record.name})` : ''}`);
        out(`credits:        ${record.credits}`);
        out(`qps:            ${record.qps}`);
        out(`webhook secret: ${record.webhookSecret}   (verifies callback signatures: Standard Webhooks)`);
        out('Keep the key now: docr stores only its hash. Send it as the X-API-KEY header.');
      }
      return 0;
    } finally { await store.close(); }
  }

  if (sub === 'list') {
    const store = await openTaskStore(loadConfig(env, args), kitEnv);
    try {
      const keys = (await store.listKeys()).map(view);
      if (json) for (const k of keys) out(JSON.stringify(k));
      else if (keys.length === 0) out('no keys yet: docr keys create --credits 100');
      else {
        out(['id', 'name', 'credits', 'qps', 'state', 'created'].join('\t'));
        for (const k of keys) out([k.id, k.name || '-', k.credits, k.qps, k.disabled ? 'disabled' : 'enabled', k.created_at].join('\t'));
      }
      return 0;
    } finally { await store.close(); }
  }

  if (sub === 'disable' || sub === 'enable' || sub === 'credits') {
    const which = takePositional(args);
    if (!which) throw new UsageError(`docr keys ${sub} needs a key id or name\n${KEYS_USAGE}`);
    const add = numberOption(args, 'add');
    const set = numberOption(args, 'set');
    const store = await openTaskStore(loadConfig(env, args), kitEnv);
    try {
      const key = await findKey(store, which);
      if (sub !== 'credits') {
        await store.updateKey(key.id, { disabled: sub === 'disable' });
        out(`${key.id}: ${sub}d`);
        return 0;
      }
      if (add !== undefined && set !== undefined) throw new UsageError('use --add or --set, not both');
      const credits = set ?? (add !== undefined ? key.credits + add : key.credits);
      if (!Number.isInteger(credits) || credits < 0) throw new UsageError('credits must end up a whole number, 0 or more');
      if (credits !== key.credits) await store.updateKey(key.id, { credits });
      out(json ? JSON.stringify({ id: key.id, credits }) : `${key.id}: ${credits} credits`);
      return 0;
    } finally { await store.close(); }
  }

  throw new UsageError(`unknown keys command "${sub}"\n${KEYS_USAGE}`);
}
