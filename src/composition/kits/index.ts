/** Opening the configured mode's kit; a mode's drivers are loaded only when it is chosen. */
import type { DocrConfig } from '../../config/index.js';
import type { TaskStore } from '../../ports/task-store.js';
import type { Kit, KitEnv } from './kit.js';

export type { Kit, KitEnv } from './kit.js';

/** The kit of the configured mode. */
export async function openKit(config: DocrConfig, env: KitEnv): Promise<Kit> {
  if (config.mode === 'scaled') return (await import('./scaled.js')).openScaledKit(config, env);
  return (await import('./embedded.js')).openEmbeddedKit(config, env);
}

/** Only the task store of the configured mode (`docr keys`: no queue, no object store, no engines). */
export async function openTaskStore(config: DocrConfig, env: KitEnv): Promise<TaskStore> {
  if (config.mode === 'scaled') return (await import('./scaled.js')).openScaledStore(config, env);
  return (await import('./embedded.js')).openEmbeddedStore(config, env.clock);
}

/** `docr migrate`: the versions applied now; embedded mode has nothing to migrate (SQLite's schema is made at open). */
export async function migrateDatabase(config: DocrConfig): Promise<number[] | undefined> {
  if (config.mode !== 'scaled') return undefined;
  return (await import('./scaled.js')).migrateScaledDatabase(config);
}
