/**
 * The JSON body parser: Fastify's default answers "Body is not valid JSON" for every
 * failure, including a body it refuses for holding `__proto__`. This one names the cause.
 */
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { DocrError } from '../domain/errors.js';

export function installJsonParser(app: FastifyInstance): void {
  app.addContentTypeParser(/^application\/(?:[\w.+-]+\+)?json(?:;|$)/i, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return done(new DocrError('BAD_PARAMETER', `the body is not valid JSON (${(e as Error).message}); send a JSON object such as {"image_url": "https://..."}`), undefined);
    }
    try {
      if (value !== null && typeof value === 'object') sjson.scan(value, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return done(new DocrError('BAD_PARAMETER', 'the JSON body holds a "__proto__" or "constructor.prototype" key, which docr refuses (it could alter objects); remove it'), undefined);
    }
    done(null, value);
  });
}
