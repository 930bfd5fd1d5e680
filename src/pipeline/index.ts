/** The task pipeline: runTask and what the worker needs around it. */
export { runTask } from './run-task.js';
export type { RunTaskInput, TaskOutcome } from './run-task.js';
export { TaskAbort } from './context.js';
export type { AbortKind, LayoutAnalyser, PipelineDeps, PipelineLimits } from './context.js';
export { endTask, failurePatch } from './finish.js';
export type { EndEnv } from './finish.js';
export { callbackOwed, deliverDueCallbacks } from './notify.js';
