/**
 * BlobStore on S3-compatible object storage (scaled mode, SPEC §6): AWS S3, MinIO, Ceph...
 * Uploads stream through @aws-sdk/lib-storage (multipart, a few parts in memory at most) and
 * downloads stream from GetObject; an object appears only when its upload completes, so a
 * reader never sees half a blob and a failed upload leaves nothing. Result URLs are presigned
 * GETs, signed against the public endpoint when clients reach the store by another name.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DocrError } from '../../domain/errors.js';
import type { BlobStore } from '../../ports/blob-store.js';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** Unset: AWS S3 of `region`. */
  endpoint?: string;
  /** The endpoint clients use for presigned URLs, when it differs from `endpoint`. */
  publicEndpoint?: string;
  forcePathStyle?: boolean;
  /** Unset: the AWS default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface S3BlobStore extends BlobStore {
  /** Resolves when the bucket answers. */
  ping(): Promise<void>;
  close(): void;
}

/** Parts (5 MiB each) uploaded at once: what a put holds in memory, about twice this many parts. */
const UPLOAD_PARTS_IN_FLIGHT = 2;
/** Presigned URLs last at most a week (SigV4). */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

const isMissing = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404;
};

export function createS3BlobStore(o: S3BlobStoreOptions): S3BlobStore {
  const config = (endpoint?: string): S3ClientConfig => ({
    region: o.region, endpoint, forcePathStyle: o.forcePathStyle, credentials: o.credentials,
  });
  const client = new S3Client(config(o.endpoint));
  const signer = o.publicEndpoint ? new S3Client(config(o.publicEndpoint)) : client;
  const Bucket = o.bucket;

  async function get(key: string): Promise<Readable | undefined> {
    try {
      const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      return r.Body as Readable;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  return {
    async put(key, body, options = {}) {
      const max = options.maxBytes ?? Infinity;
      if (Buffer.isBuffer(body)) {
        // Already in memory (a rendered result): one PutObject, no stream machinery (~5 ms less a put).
        if (body.length > max) throw new DocrError('PAYLOAD_TOO_LARGE', `the file is larger than ${max} bytes`, { maxBytes: max });
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: options.contentType }));
        return body.length;
      }
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > max) done(new DocrError('PAYLOAD_TOO_LARGE', `the file is larger than ${max} bytes`, { maxBytes: max }));
          else done(null, chunk);
        },
      });
      const piped = pipeline(body, counter);
      const upload = new Upload({ client, queueSize: UPLOAD_PARTS_IN_FLIGHT, params: { Bucket, Key: key, Body: counter, ContentType: options.contentType } });
      // An upload that fails stops the reading too (else the body would wait forever for a reader).
      const done = upload.done().catch((e: unknown) => { counter.destroy(e as Error); throw e; });
      // A failed or oversized body aborts the multipart upload: nothing appears under the key.
      const [sent, read] = await Promise.allSettled([done, piped]);
      if (read.status === 'rejected') {
        await upload.abort().catch(() => {});
        throw read.reason;
      }
      if (sent.status === 'rejected') throw sent.reason;
      return size;
    },
    get,
    async download(key, toPath) {
      const stream = await get(key);
      if (!stream) throw new DocrError('INTERNAL', `blob "${key}" does not exist`, { key, missing: true });
      await pipeline(stream, createWriteStream(toPath));
    },
    async stat(key) {
      try {
        const r = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { size: r.ContentLength ?? 0 };
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
        for (const c of page.Contents ?? []) if (c.Key) keys.push(c.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async directUrl(key, { expiresAt, filename, contentType }) {
      const expiresIn = Math.min(MAX_PRESIGN_SECONDS, Math.max(1, Math.ceil((expiresAt - Date.now()) / 1000)));
      const command = new GetObjectCommand({
        Bucket, Key: key, ResponseContentType: contentType, ResponseContentDisposition: `attachment; filename="${filename}"`,
      });
      return getSignedUrl(signer, command, { expiresIn });
    },
    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
    close() {
      client.destroy();
      if (signer !== client) signer.destroy();
    },
  };
}
