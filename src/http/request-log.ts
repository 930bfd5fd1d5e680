/**
 * Request logging at info level: one line per request once it is answered (Fastify's
 * default writes two, "incoming request" and "request completed", each with the whole
 * request and response objects serialised). At thousands of queries a second the line's
 * cost matters: a few plain fields, the URL cut to 200 characters.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

const shortUrl = (url: string) => (url.length > 200 ? `${url.slice(0, 200)}…` : url);

export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: shortUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) reply.log.warn({ ...line, err: error }, 'request ended with an error');
    else reply.log.info(line, 'request');
  }

  // The not-found handler answers in the envelope; the completed line says 404.
  override routeNotFound(): void {}
}
