/**
 * The queue of task ids waiting for a worker. Carries ids only, never bytes.
 * Embedded: in-process; scaled: BullMQ on Redis.
 */
export interface JobQueue {
  enqueue(taskId: string): Promise<void>;
  /**
   * Registers the consumer: `handler` is called with at most `concurrency` ids at a time.
   * A handler that throws does not lose the id: the TaskStore's lease recovery re-queues it.
   */
  consume(handler: (taskId: string) => Promise<void>, concurrency: number): void;
  /** Number of ids waiting (not yet handed to a handler). */
  size(): Promise<number>;
  /** Stops handing out ids and waits for running handlers (up to `timeoutMs`). */
  close(timeoutMs?: number): Promise<void>;
}
