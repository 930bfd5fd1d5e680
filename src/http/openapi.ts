/**
 * The OpenAPI 3.1 document served at /openapi.json (and rendered at /docs). Every request and
 * response shape comes from the contract's zod schemas (zod-openapi writes them out); this
 * file only lays out the paths, statuses and headers. Operations the PicWish reference defines
 * carry the tag "PicWish-compatible"; the rest carry "docr extras".
 */
import { z } from 'zod';
import { createDocument, type ZodOpenApiResponseObject } from 'zod-openapi';
import { createJsonBody, createMultipartBody, createUrlencodedBody } from '../contract/create-request.js';
import { createdBody, errorBody, queryBody } from '../contract/query-body.js';
import { STATE_DESCRIPTIONS } from '../domain/task-state.js';
import { RESULT_PATH_PREFIX } from '../platform/signed-url.js';

export const COMPATIBLE = 'PicWish-compatible';
export const EXTRAS = 'docr extras';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const error = (description: string, headers?: ZodOpenApiResponseObject['headers']): ZodOpenApiResponseObject => ({ description, content: json(errorBody), headers });
const integerHeader = (description: string) => ({ description, schema: { type: 'integer' as const } });
const rateHeaders = {
  'RateLimit-Limit': integerHeader('docr extra: the key\'s bucket size for this kind of call.'),
  'RateLimit-Remaining': integerHeader('docr extra: calls left in the bucket.'),
  'RateLimit-Reset': integerHeader('docr extra: seconds until the bucket is full again.'),
};
const retryAfter = { 'Retry-After': integerHeader('Seconds to wait before trying again.'), ...rateHeaders };
const taskId = z.string().meta({ description: 'The task_id the create answered.' });
const authErrors = {
  401: error('Missing, unknown or disabled X-API-KEY.'),
  404: error('Unknown task (another key\'s task is unknown too).'),
  429: error('Over the key\'s query limit; wait Retry-After seconds.', retryAfter),
};

/** In a task's order of life (SPEC §3): 0, 2, 3, 4, 6, 5, 1, then the failures -1, -2, ... */
const LIFE_ORDER = [0, 2, 3, 4, 6, 5, 1];
const stateRank = (s: number) => (s >= 0 ? LIFE_ORDER.indexOf(s) : LIFE_ORDER.length - s);

function statesTable(): string {
  return ['| state | meaning |', '| --- | --- |', ...Object.entries(STATE_DESCRIPTIONS)
    .sort(([a], [b]) => stateRank(Number(a)) - stateRank(Number(b))).map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

export interface OpenApiOptions {
  serverUrl?: string;
  maxUploadBytes: number;
}

export function openApiDocument(opts: OpenApiOptions): ReturnType<typeof createDocument> {
  const mb = Math.round(opts.maxUploadBytes / 1048576);
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'docr: PicWish-compatible Document OCR API', version: '1',
      description: `A self-hosted document OCR service that speaks the PicWish Document OCR API: a program written for it works by changing only the base URL and the key. Operations tagged "${COMPATIBLE}" are the reference's; those tagged "${EXTRAS}", and fields marked "docr extra", go beyond it and never break a client that ignores them.\n\nEvery answer is \`{status, message, data}\` with status equal to the HTTP status.\n\n### Task states\n${statesTable()}`,
    },
    servers: opts.serverUrl ? [{ url: opts.serverUrl }] : undefined,
    tags: [
      { name: COMPATIBLE, description: 'The PicWish Document OCR API, as the reference documents it.' },
      { name: EXTRAS, description: 'Beyond the reference: optional for clients.' },
    ],
    components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' } } },
    security: [{ apiKey: [] }],
    paths: {
      '/api/tasks/document/ocr': {
        post: {
          tags: [COMPATIBLE], operationId: 'createTask', summary: 'Create an OCR task (1 credit)',
          description: 'multipart/form-data is the reference\'s form; urlencoded and JSON bodies (docr extras) carry image_url tasks only, since they cannot carry a file.',
          requestParams: { header: z.object({ 'Idempotency-Key': z.string().optional().meta({ description: 'docr extra: the same key and body within 24 h return the same task and charge once.' }) }) },
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': { schema: createMultipartBody },
              'application/x-www-form-urlencoded': { schema: createUrlencodedBody },
              'application/json': { schema: createJsonBody },
            },
          },
          responses: {
            200: {
              description: 'Created: data.task_id. With sync=1, the query body once the task ended or the sync wait limit passed.',
              headers: { 'X-Credits-Remaining': integerHeader('docr extra: the key\'s credits after this call.'), ...rateHeaders },
              content: json(z.union([createdBody, queryBody])),
            },
            400: error('A field is invalid (the message names it), or an empty file.'),
            401: error('Missing, unknown or disabled X-API-KEY.'),
            402: error('insufficient credits'),
            413: error(`The upload is over ${mb} MB, or the form has far too many parts.`),
            429: error('Over the key\'s create QPS; wait Retry-After seconds.', retryAfter),
            503: error('docr extra: the queue is full; nothing was charged; wait Retry-After seconds.', { 'Retry-After': integerHeader('Seconds to wait before trying again.') }),
          },
          callbacks: {
            taskEnded: {
              '{$request.body#/callback_url}': {
                post: {
                  summary: 'The task ended: the query body, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). Retried with backoff until a 2xx answer.',
                  // A reference, not the schema: zod-openapi would otherwise write the body twice (as input and as output).
                  requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/QueryBody' } } } },
                  responses: { 200: { description: 'Any 2xx ends the deliveries.' } },
                },
              },
            },
          },
        },
      },
      '/api/tasks/document/ocr/{task_id}': {
        get: {
          tags: [COMPATIBLE], operationId: 'getTask', summary: 'Query a task',
          requestParams: { path: z.object({ task_id: taskId }) },
          responses: { 200: { description: 'The task.', headers: rateHeaders, content: json(queryBody) }, ...authErrors },
        },
        delete: {
          tags: [EXTRAS], operationId: 'cancelTask', summary: 'Cancel a task (state -13) and delete its input and result',
          requestParams: { path: z.object({ task_id: taskId }) },
          responses: { 200: { description: 'The task as it now is (purged: true, no file).', content: json(queryBody) }, ...authErrors },
        },
      },
      '/api/tasks/visual/document/ocr/{task_id}': {
        get: {
          tags: [COMPATIBLE], operationId: 'getTaskVisualPath', deprecated: true,
          summary: 'Query a task (the path the vendor\'s curl sample uses; same answer as /api/tasks/document/ocr/{task_id})',
          requestParams: { path: z.object({ task_id: taskId }) },
          responses: { 200: { description: 'The task.', headers: rateHeaders, content: json(queryBody) }, ...authErrors },
        },
      },
      '/api/tasks/document/ocr/{task_id}/events': {
        get: {
          tags: [EXTRAS], operationId: 'watchTask',
          summary: 'Server-sent events: one `state` event (data: the query body) per change of state, progress or pages done, until the task ends or the sync wait limit passes',
          requestParams: { path: z.object({ task_id: taskId }) },
          responses: { 200: { description: 'An event stream.', content: { 'text/event-stream': { schema: z.string() } } }, ...authErrors },
        },
      },
      [`${RESULT_PATH_PREFIX}{file}`]: {
        get: {
          tags: [COMPATIBLE], operationId: 'downloadResult', security: [],
          summary: 'Download a result: the signed URL in data.file (no key needed)',
          requestParams: {
            path: z.object({ file: z.string().meta({ description: '<task_id>.<format>' }) }),
            query: z.object({ expires: z.string().meta({ description: 'Unix seconds' }), signature: z.string() }),
          },
          responses: {
            200: { description: 'The result file.', content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } } },
            404: error('Unknown or badly signed.'), 410: error('Expired, or deleted.'),
          },
        },
      },
      '/healthz': { get: { tags: [EXTRAS], operationId: 'health', security: [], summary: 'Liveness', responses: { 200: { description: 'alive' } } } },
      '/readyz': { get: { tags: [EXTRAS], operationId: 'ready', security: [], summary: 'Readiness', responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } } },
      '/metrics': { get: { tags: [EXTRAS], operationId: 'metrics', security: [], summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format', content: { 'text/plain': { schema: z.string() } } } } } },
      '/openapi.json': { get: { tags: [EXTRAS], operationId: 'openapi', security: [], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
      '/docs': { get: { tags: [EXTRAS], operationId: 'docs', security: [], summary: 'This document, rendered for people', responses: { 200: { description: 'HTML' } } } },
    },
  });
}
