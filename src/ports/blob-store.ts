/**
 * Storage of inputs and results. Embedded: the local disk; scaled: S3-compatible storage.
 * Keys are opaque strings chosen by the caller ("inputs/<task>", "results/<task>.txt").
 */
import type { Readable } from 'node:stream';

export interface BlobStore {
  /** Streams `body` into the store; returns the stored size. Never buffers the whole body. Throws when `maxBytes` is exceeded (partial blob removed). */
  put(key: string, body: Readable | Buffer, options?: { maxBytes?: number; contentType?: string }): Promise<number>;
  /** A readable stream of the blob, or undefined when it does not exist. */
  get(key: string): Promise<Readable | undefined>;
  /** Copies the blob to a local file (workers need files for native tools). */
  download(key: string, toPath: string): Promise<void>;
  stat(key: string): Promise<{ size: number } | undefined>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix (for the sweeper). */
  list(prefix: string): Promise<string[]>;
}
