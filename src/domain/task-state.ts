/**
 * Task states of the PicWish contract (SPEC §3). Numbers are the wire values.
 * Positive: in progress (1 = succeeded). Negative: failed, final.
 */
export const TaskState = {
  Queued: 0,
  Succeeded: 1,
  Preparing: 2,
  Waiting: 3,
  Processing: 4,
  Publishing: 5,
  ProcessingPages: 6,
  Failed: -1,
  StoreFailed: -2,
  DownloadFailed: -3,
  DownloadTooLarge: -5,
  InvalidFile: -7,
  TimedOut: -8,
  PageFailed: -9,
  /** Never produced: content review. Kept for the docs' table. */
  ReviewRejected: -10,
  EmptyResult: -11,
  Cancelled: -13,
  OutsideLimits: -14,
  NoResources: -15,
  /** Never produced: third-party review. */
  ThirdPartyReview: -16,
  /** Never produced: invalid prompt. */
  InvalidPrompt: -17,
} as const;

export type TaskStateValue = (typeof TaskState)[keyof typeof TaskState];

export function isFinal(state: number): boolean {
  return state === TaskState.Succeeded || state < 0;
}

/** States a task is in while some worker holds it. */
export const WORKING_STATES: readonly number[] = [
  TaskState.Preparing, TaskState.Waiting, TaskState.Processing,
  TaskState.ProcessingPages, TaskState.Publishing,
];

/**
 * Allowed transitions. A task moves forward through the working states (it may skip
 * some), may go back to Queued only when its worker died (re-queue after a crash), and
 * ends in Succeeded or a negative state.
 */
export function canTransition(from: number, to: number): boolean {
  if (isFinal(from)) return false;
  if (to < 0) return true;
  if (to === TaskState.Queued) return WORKING_STATES.includes(from);
  const order = [TaskState.Queued, TaskState.Preparing, TaskState.Waiting, TaskState.Processing,
    TaskState.ProcessingPages, TaskState.Publishing, TaskState.Succeeded] as number[];
  const i = order.indexOf(from), j = order.indexOf(to);
  return i >= 0 && j >= 0 && j >= i;
}

/** Human descriptions, for the docs and the CLI. */
export const STATE_DESCRIPTIONS: Record<number, string> = {
  0: 'queued', 1: 'succeeded', 2: 'preparing (download, type detection, conversion)',
  3: 'waiting for a worker slot', 4: 'processing', 5: 'publishing the result', 6: 'processing page by page',
  [-1]: 'internal failure', [-2]: 'storing the result failed', [-3]: 'downloading image_url failed',
  [-5]: 'image_url content over 30 MB', [-7]: 'invalid file', [-8]: 'processing timed out',
  [-9]: 'a page failed and the task could not continue', [-10]: 'content review (never produced)',
  [-11]: 'nothing was recognised', [-13]: 'cancelled', [-14]: 'input outside the limits',
  [-15]: 'insufficient resources', [-16]: 'third-party review (never produced)', [-17]: 'invalid prompt (never produced)',
};
