/**
 * The queue of task ids waiting for a worker. Carries ids only, never bytes. Embedded:
 * in-process; scaled: BullMQ on Redis. One contract suite (test/contract/job-queue.suite.ts)
 * runs against each.
 *
 * Delivery is at least once and in no promised order: an id may reach a handler twice (a
 * redelivered stalled job, a refill racing a create), so consumers guard with
 * TaskStore.claim. The TaskStore stays the record: a queue that loses ids loses no task,
 * because workers re-enqueue tasks whose lease ran out and queued tasks the queue forgot.
 */
export interface JobQueue {
  /**
   * Adds `taskId` for its `attempt`-th run (the task's attempts so far; 0 at create). While an
   * entry for the same id and attempt waits, adding it again is a no-op.
   */
  enqueue(taskId: string, attempt?: number): Promise<void>;
  /**
   * Registers the consumer: `handler` is called with at most `concurrency` ids at a time. The
   * entry is done when the handler settles; a handler that throws does not lose the task (the
   * TaskStore's lease recovery re-queues it). A handler that never settles because its process
   * died is redelivered after the queue's stall timeout (scaled) or at the next start (embedded).
   */
  consume(handler: (taskId: string) => Promise<void>, concurrency: number): void;
  /** Number of ids waiting (not yet handed to a handler). */
  size(): Promise<number>;
  /** Stops handing out ids and waits for running handlers (up to `timeoutMs`). */
  close(timeoutMs?: number): Promise<void>;
}
