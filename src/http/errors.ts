/**
 * The one error-to-HTTP mapper: every answer that is not a success is the reference's
 * envelope `{status, message, data}` with `status` equal to the HTTP code (SPEC §1.1).
 * DocrErrors map through the catalogue; Fastify's own errors (a bad URL, a too-long path
 * segment, an unsupported Content-Type) keep their 4xx status with a message in docr's
 * words, and so do the errors Node's HTTP parser raises before any route runs (a 100 KB
 * header, a malformed request line, headers that arrive too slowly).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { ErrorBody } from '../contract/query-body.js';
import { quoted } from '../contract/fields.js';
import { DocrError, httpStatusOf, isDocrError } from '../domain/errors.js';

export type { ErrorBody };

/** Fastify's own error codes, in words a client can act on. */
const FRAMEWORK_MESSAGES: Record<string, (e: Partial<FastifyError>) => string> = {
  FST_ERR_BAD_URL: () => 'the URL is not valid: a malformed percent-encoding (write a literal % as %25)',
  FST_ERR_MAX_PARAM_LENGTH: () => 'a path segment is too long: a task_id is a UUID of 36 characters',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => 'unsupported Content-Type: send multipart/form-data (or urlencoded/JSON for image_url)',
  FST_ERR_CTP_BODY_TOO_LARGE: () => 'the request body is too large: a form or JSON body carries fields only (at most 1 MB); send files as multipart/form-data',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'the Content-Length header does not match the body',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'the JSON body is empty',
};

const cut = (v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…` : v);

export function errorBody(e: unknown): ErrorBody {
  if (isDocrError(e)) {
    const status = httpStatusOf(e);
    const data = status >= 500 ? {} : Object.fromEntries(Object.entries(e.details).map(([k, v]) => [k, cut(v)]));
    return { status, message: status >= 500 && e.code === 'INTERNAL' ? 'internal server error' : e.message, data };
  }
  const fe = e as Partial<FastifyError>;
  const status = fe.statusCode ?? 500;
  const words = fe.code ? FRAMEWORK_MESSAGES[fe.code] : undefined;
  if (status === 415) return { status: 400, message: FRAMEWORK_MESSAGES.FST_ERR_CTP_INVALID_MEDIA_TYPE(fe), data: {} };
  if (status >= 400 && status < 500) {
    // Fastify's messages may quote the whole URL or header: never echo more than a few dozen characters.
    return { status, message: words ? words(fe) : `${STATUS_CODES[status]?.toLowerCase() ?? 'bad request'}: ${quoted(fe.message ?? '').slice(1, -1)}`, data: {} };
  }
  return { status: 500, message: 'internal server error', data: {} };
}

/** How long the rest of an oversized upload is read (and dropped) before the connection is cut. */
const LINGER_MS = 5_000;

/**
 * A "lingering close" after 413: closing a socket with upload bytes still unread makes the
 * kernel reset the connection, and the reset can overtake the 413 (clients then see only
 * EPIPE or ECONNRESET). So the rest of the upload is read and dropped; once it is all read
 * the connection carries the next request, and an upload still coming after LINGER_MS is cut.
 */
function lingerOver(request: FastifyRequest['raw']): void {
  if (request.readableEnded) return;
  const socket = request.socket;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  request.once('end', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
  request.unpipe();
  request.resume();
}

export function sendError(reply: FastifyReply, e: unknown): FastifyReply {
  const body = errorBody(e);
  if (body.status === 413) lingerOver(reply.request.raw);
  return reply.code(body.status).type('application/json').send(body);
}

/** Errors of Node's HTTP parser, raised before any route or hook runs. */
export function clientErrorBody(err: NodeJS.ErrnoException, limits: { headersTimeoutMs: number; maxHeaderBytes: number }): ErrorBody {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, message: `the request did not arrive in time (headers within ${Math.round(limits.headersTimeoutMs / 1000)} s); send it promptly`, data: {} };
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, message: `the request line and headers are larger than ${Math.round(limits.maxHeaderBytes / 1024)} KB; shorten the URL or the headers`, data: {} };
  }
  if (err.code === 'HPE_URI_TOO_LONG') return { status: 414, message: 'the URL is too long', data: {} };
  return { status: 400, message: `malformed HTTP request (${err.code ?? 'unreadable'}); send a valid HTTP/1.1 request`, data: {} };
}

/**
 * Fastify's `clientErrorHandler`: answers the parser's errors in the envelope on the raw
 * socket (there is no request object yet) and reports the status for /metrics.
 */
export function clientErrorHandler(limits: { headersTimeoutMs: number; maxHeaderBytes: number }, count: (status: number) => void) {
  return function handle(err: NodeJS.ErrnoException, socket: Socket): void {
    // A reset connection has no one to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const body = clientErrorBody(err, limits);
    count(body.status);
    const text = JSON.stringify(body);
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${text}`);
    }
    socket.destroy();
  };
}

/** Fastify's `frameworkErrors`: routing errors (bad URL, too-long segment) through the same mapper. */
export function frameworkErrorHandler(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void sendError(reply, err);
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const body = errorBody(err);
    if (body.status >= 500) request.log.error({ err }, 'request failed');
    return sendError(reply, err);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new DocrError('NOT_FOUND', `no route ${request.method} ${quoted(request.url.split('?')[0])}`)));
}
