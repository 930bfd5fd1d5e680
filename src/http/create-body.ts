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
  /** The body was a JSON object. */
  json: boolean;
}

/** Small text carried in a file part (some clients send image_url that way) is read up to this size. */
const MAX_TEXT_PART = 64 * 1024;

/**
 * Multipart counts, far above any real client (the reference's form has seven fields and
 * one file): they only bound the work a hostile body can cause.
 */
export const MULTIPART_LIMITS = { fields: 1000, files: 20, parts: 1020, fieldSize: MAX_TEXT_PART };

const LIMIT_MESSAGES: Record<string, string> = {
  FST_FIELDS_LIMIT: `too many form fields: at most ${MULTIPART_LIMITS.fields} in one request`,
  FST_FILES_LIMIT: `too many file parts: at most ${MULTIPART_LIMITS.files} in one request (send one image_file)`,
  FST_PARTS_LIMIT: `too many parts in the form: at most ${MULTIPART_LIMITS.parts} in one request`,
};

async function readSmall(stream: Readable, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_TEXT_PART) throw new DocrError('BAD_PARAMETER', `${name}: value too long (at most ${MAX_TEXT_PART} bytes)`, { field: name });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const givenTwice = (name: string) =>
  new DocrError('BAD_PARAMETER', `${name}: given more than once; send each field once`, { field: name });

function addField(fields: Record<string, RawFieldValue>, name: string, value: string): void {
  if (Object.hasOwn(fields, name)) throw givenTwice(name);
  fields[name] = value;
}

function formFields(body: object): Record<string, RawFieldValue> {
  const fields = body as Record<string, RawFieldValue>;
  for (const [name, v] of Object.entries(fields)) if (Array.isArray(v)) throw givenTwice(name);
  return fields;
}

export async function readCreateBody(request: FastifyRequest, blobs: BlobStore, blobKey: string, maxBytes: number): Promise<CreateBody> {
  if (!request.isMultipart()) {
    const body = request.body;
    const json = /^application\/(?:[\w.+-]+\+)?json/i.test(request.headers['content-type'] ?? '');
    if (body === undefined || body === null) return { fields: {}, json };
    if (typeof body !== 'object' || Array.isArray(body)) throw new DocrError('BAD_PARAMETER', 'the request body must be a form or a JSON object');
    return { fields: json ? body as Record<string, RawFieldValue> : formFields(body), json };
  }
  const fields: Record<string, RawFieldValue> = Object.create(null);
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
      if (part.file.truncated) throw tooLarge(maxBytes);
      upload = { blobKey, size, filename: part.filename || undefined };
    }
  } catch (e) {
    if (stored) await blobs.delete(blobKey);
    if (!request.raw.complete && request.raw.destroyed) {
      // The client hung up mid-upload: nothing failed here, and no one is left to answer.
      request.log.info({ reason: (e as Error).message }, 'client closed the connection during the upload');
      throw new DocrError('BAD_PARAMETER', 'the upload ended early: the client closed the connection');
    }
    throw asClientError(e, maxBytes);
  }
  return { fields, upload, json: false };
}

/** Room for the form's text fields and part headers beside a file of the largest size. */
const FORM_OVERHEAD = 1024 * 1024;

/**
 * onRequest hook of the create route: a declared Content-Length the upload limit cannot
 * hold is a 413 before a byte of the body is read (the connection is then closed).
 */
export function refuseDeclaredOversize(maxBytes: number) {
  return async (request: FastifyRequest): Promise<void> => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + FORM_OVERHEAD) {
      throw new DocrError('PAYLOAD_TOO_LARGE', `the request declares ${declared} bytes (Content-Length); one upload may be at most ${Math.round(maxBytes / 1048576)} MB`);
    }
  };
}

export const tooLarge = (maxBytes: number) =>
  new DocrError('PAYLOAD_TOO_LARGE', `the upload is larger than ${Math.round(maxBytes / 1048576)} MB (${maxBytes} bytes), the limit for one file`);

/** What reading a multipart body threw, as the answer the client gets. */
function asClientError(e: unknown, maxBytes: number): unknown {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && LIMIT_MESSAGES[code]) return new DocrError('PAYLOAD_TOO_LARGE', LIMIT_MESSAGES[code]);
  if (e instanceof DocrError) return e.code === 'PAYLOAD_TOO_LARGE' ? tooLarge(maxBytes) : e;
  if ((e as { statusCode?: number }).statusCode === 413) return tooLarge(maxBytes);
  if (isSystemError(e)) return e; // disk trouble stays a 500
  // Anything else came from parsing the client's bytes (busboy, @fastify/multipart): the client's fault.
  return new DocrError('BAD_PARAMETER', `malformed multipart/form-data body (${(e as Error).message ?? 'unreadable'})`);
}

/** errno-style failures (ENOSPC, EACCES, EIO, ...) of our own storage. */
function isSystemError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
