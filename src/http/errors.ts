/**
 * The one error-to-HTTP mapper: every answer that is not a success is the reference's
 * envelope `{status, message, data}` with `status` equal to the HTTP code (SPEC §1.1).
 * DocrErrors map through the catalogue; Fastify's own errors keep their 4xx meaning.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { DocrError, httpStatusOf, isDocrError } from '../domain/errors.js';

export interface ErrorBody {
  status: number;
  message: string;
  data: Record<string, unknown>;
}

export function errorBody(e: unknown): ErrorBody {
  if (isDocrError(e)) {
    const status = httpStatusOf(e);
    const data = status >= 500 ? {} : { ...e.details };
    return { status, message: status >= 500 && e.code === 'INTERNAL' ? 'internal server error' : e.message, data };
  }
  const fe = e as Partial<FastifyError>;
  const code = fe.statusCode ?? 500;
  if (code === 413) return { status: 413, message: 'the upload is too large', data: {} };
  if (code === 415) return { status: 400, message: 'unsupported Content-Type: send multipart/form-data (or urlencoded/JSON for image_url)', data: {} };
  if (code >= 400 && code < 500) return { status: code, message: fe.message ?? 'bad request', data: {} };
  return { status: 500, message: 'internal server error', data: {} };
}

export function sendError(reply: FastifyReply, e: unknown): FastifyReply {
  const body = errorBody(e);
  return reply.code(body.status).type('application/json').send(body);
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const body = errorBody(err);
    if (body.status >= 500) request.log.error({ err }, 'request failed');
    // The rest of an oversized upload is never read: the connection cannot carry another request.
    if (body.status === 413) reply.header('Connection', 'close');
    return reply.code(body.status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new DocrError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)));
}
