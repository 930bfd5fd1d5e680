/**
 * Reads a create request's body into raw fields and, for multipart, streams `image_file`
 * straight into the BlobStore (never whole in memory). Over the size cap → 413 and the
 * partial upload is removed. urlencoded and JSON bodies carry fields only (image_url tasks).
 */
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { RawFieldValue } from '../contract/create-request.js';
import { DocrError } from '../domain/errors.js';
import type { BlobStore } from '../ports/blob-store.js';

export interface CreateBody {
  fields: Record<string, RawFieldValue>;
  upload?: { blobKey: string; size: number; filename?: string };
}

/** Small text carried in a file part (some clients send image_url that way) is read up to this size. */
const MAX_TEXT_PART = 64 * 1024;

async function readSmall(stream: Readable, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_TEXT_PART) throw new DocrError('BAD_PARAMETER', `${name}: value too long`, { field: name });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function addField(fields: Record<string, RawFieldValue>, name: string, value: string): void {
  const prev = fields[name];
  if (prev === undefined) fields[name] = value;
  else fields[name] = [...(Array.isArray(prev) ? prev : [prev]), value];
}

export async function readCreateBody(request: FastifyRequest, blobs: BlobStore, blobKey: string, maxBytes: number): Promise<CreateBody> {
  if (!request.isMultipart()) {
    const body = request.body;
    if (body === undefined || body === null) return { fields: {} };
    if (typeof body !== 'object' || Array.isArray(body)) throw new DocrError('BAD_PARAMETER', 'the request body must be a form or a JSON object');
    return { fields: body as Record<string, RawFieldValue> };
  }
  const fields: Record<string, RawFieldValue> = {};
  let upload: CreateBody['upload'];
  let stored = false;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') addField(fields, part.fieldname, part.value);
        continue;
      }
      if (part.fieldname !== 'image_file') {
        // A file part under another name: known text fields are read as text, the rest ignored.
        if (part.fieldname === 'image_url' || part.fieldname === 'callback_url') addField(fields, part.fieldname, await readSmall(part.file, part.fieldname));
        else part.file.resume();
        continue;
      }
      if (upload) {
        part.file.resume();
        throw new DocrError('BAD_PARAMETER', 'image_file: given more than once; send one file per task', { field: 'image_file' });
      }
      stored = true;
      const size = await blobs.put(blobKey, part.file, { maxBytes });
      if (part.file.truncated) throw new DocrError('PAYLOAD_TOO_LARGE', `the upload is larger than ${maxBytes} bytes`);
      upload = { blobKey, size, filename: part.filename || undefined };
    }
  } catch (e) {
    if (stored) await blobs.delete(blobKey);
    const status = (e as { statusCode?: number }).statusCode;
    if (!(e instanceof DocrError) && status === 413) throw new DocrError('PAYLOAD_TOO_LARGE', `the upload is larger than ${maxBytes} bytes`);
    if (e instanceof DocrError && e.code === 'PAYLOAD_TOO_LARGE') throw new DocrError('PAYLOAD_TOO_LARGE', `the upload is larger than ${maxBytes} bytes (the limit is ${Math.round(maxBytes / 1048576)} MB)`);
    if (e instanceof DocrError || isSystemError(e)) throw e; // disk trouble stays a 500
    // Anything else came from parsing the client's bytes (busboy, @fastify/multipart): the client's fault.
    throw new DocrError('BAD_PARAMETER', `malformed multipart/form-data body (${(e as Error).message ?? 'unreadable'})`);
  }
  return { fields, upload };
}

/** errno-style failures (ENOSPC, EACCES, EIO, ...) of our own storage. */
function isSystemError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
