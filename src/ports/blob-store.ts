/**
 * Storage of inputs and results. Embedded: the local disk; scaled: S3-compatible storage.
 * Keys are opaque strings chosen by the caller ("inputs/<task>", "results/<task>.txt").
 * One contract suite (test/contract/blob-store.suite.ts) runs against each implementation.
 */
import type { Readable } from 'node:stream';

export interface BlobStore {
  /**
   * Streams `body` into the store; returns the stored size. Never buffers the whole body.
   * Throws PAYLOAD_TOO_LARGE when `maxBytes` is exceeded, leaving nothing under `key`.
   * A reader never sees part of a blob: the key appears when the whole body is stored.
   */
  put(key: string, body: Readable | Buffer, options?: { maxBytes?: number; contentType?: string }): Promise<number>;
  /** A readable stream of the blob, or undefined when it does not exist. */
  get(key: string): Promise<Readable | undefined>;
  /**
   * Copies the blob to a local file (workers need files for native tools). A missing blob
   * rejects with DocrError INTERNAL whose `details.missing` is true (so callers need no
   * `stat` round trip first).
   */
  download(key: string, toPath: string): Promise<void>;
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Removes the blob; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys under a prefix, sorted (for the sweeper). */
  list(prefix: string): Promise<string[]>;
  /**
   * A URL that downloads the blob directly from the store until `expiresAt` (Unix ms), when
   * the store can give one (S3: presigned). Absent on stores that cannot: the API serves
   * those blobs itself under its own signed URLs.
   */
  directUrl?(key: string, options: { expiresAt: number; filename: string; contentType: string }): Promise<string>;
}
