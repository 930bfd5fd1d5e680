/**
 * Request bodies for creates: the form fields and, for image_file, the document. Blobs go
 * through FormData (every runtime streams them); a stream is sent as a multipart stream
 * where the runtime can upload streams (Node), else gathered into a Blob first (browsers
 * stream uploads only over HTTP/2).
 */
import type { FileInput } from './types.js';

/** The document to upload. `again` is false for one-shot sources (a stream cannot be re-sent after a 429). */
export interface Upload { blob?: Blob; stream?: ReadableStream<Uint8Array>; name: string; again: boolean }

/** Turns what a caller passed as `file` into an Upload; the Node entry adds paths and Node streams. */
export type UploadResolver = (file: unknown, name?: string) => Promise<Upload>;

export const resolveUniversalUpload: UploadResolver = async (file, name) => {
  if (file instanceof Blob) return { blob: file, name: name ?? ((file as File).name || 'document'), again: true };
  if (file instanceof ArrayBuffer || ArrayBuffer.isView(file)) {
    return { blob: new Blob([file as FileInput as ArrayBuffer]), name: name ?? 'document', again: true };
  }
  if (typeof ReadableStream !== 'undefined' && file instanceof ReadableStream) return { stream: file, name: name ?? 'document', again: false };
  throw new TypeError('file: pass a Blob or File, bytes (ArrayBuffer, Uint8Array, Buffer) or a ReadableStream; in Node also a path or a stream');
};

export interface RequestBody { body: NonNullable<RequestInit['body']>; headers: Record<string, string>; duplex?: 'half' }

export async function createBody(fields: [string, string][], upload: Upload | undefined, streamUploads: boolean): Promise<RequestBody> {
  if (upload?.stream && streamUploads) return multipartStream(fields, upload.name, upload.stream);
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  if (upload) {
    const blob = upload.blob ?? await new Response(upload.stream).blob();
    form.append('image_file', blob, upload.name);
  }
  return { body: form, headers: {} };
}

const quoted = (s: string) => s.replace(/["\\\r\n]/g, (c) => encodeURIComponent(c));

function multipartStream(fields: [string, string][], name: string, file: ReadableStream<Uint8Array>): RequestBody {
  const boundary = `docr-${crypto.randomUUID()}`;
  const enc = new TextEncoder();
  const head = fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')
    + `--${boundary}\r\nContent-Disposition: form-data; name="image_file"; filename="${quoted(name)}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const reader = file.getReader();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) { started = true; controller.enqueue(enc.encode(head)); return; }
      const { done, value } = await reader.read();
      if (!done) { controller.enqueue(value); return; }
      controller.enqueue(enc.encode(`\r\n--${boundary}--\r\n`));
      controller.close();
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, duplex: 'half' };
}
