/** How composition roots stop what they started: in order, once, and also after a failed start. */
import type { Kit } from './kits/kit.js';
import type { Modules } from './modules.js';

/** Runs `steps` in order the first time it is called; later calls share that run. */
export function closeOnce(...steps: (() => Promise<unknown> | undefined)[]): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () => (closed ??= (async () => { for (const step of steps) await step(); })());
}

/** A start that failed half-way: what was opened is closed, then the error goes on. */
export async function failedStart(e: unknown, modules: Modules, kit: Kit): Promise<never> {
  await modules.close().catch(() => {});
  await kit.close().catch(() => {});
  throw e;
}
