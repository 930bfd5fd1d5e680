/** Opening the configured mode's kit; a mode's drivers are loaded only when it is chosen. */
import type { DocrConfig } from '../../config/index.js';
import type { TaskStore } from '../../ports/task-store.js';
import type { Kit, KitEnv } from './kit.js';

export type { Kit, KitEnv } from './kit.js';

/** The kit of the configured mode. */
export async function openKit(config: DocrConfig, env: KitEnv): Promise<Kit> {
  return (await import('./embedded.js')).openEmbeddedKit(config, env);
}

/** Only the task store of the configured mode (`docr keys`: no queue, no object store, no engines). */
export async function openTaskStore(config: DocrConfig): Promise<TaskStore> {
  return (await import('./embedded.js')).openEmbeddedStore(config);
}
