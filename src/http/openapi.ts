/** The OpenAPI 3 description served at /docs (hand-written: the API is small and fixed by the reference). */
import { EXTRA_OUTPUT_FORMATS, INPUT_TYPES, OUTPUT_FORMATS } from '../contract/formats.js';
import { STATE_DESCRIPTIONS } from '../domain/task-state.js';

const envelope = (data: object) => ({
  type: 'object', required: ['status', 'message', 'data'],
  properties: { status: { type: 'integer', description: 'equals the HTTP status code' }, message: { type: 'string' }, data },
});
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: envelope({ type: 'object' }) } } });
const str = (description: string) => ({ type: 'string', description });
const int = (description: string) => ({ type: 'integer', description });

const queryData = {
  type: 'object', required: ['task_id', 'state', 'progress', 'type'],
  properties: {
    task_id: str('the task id'),
    state: { ...int('task state'), enum: Object.keys(STATE_DESCRIPTIONS).map(Number),
      description: Object.entries(STATE_DESCRIPTIONS).map(([k, v]) => `${k}: ${v}`).join('; ') },
    progress: int('0..100, never decreasing; 100 exactly when state is 1'),
    file: str('signed result URL (state 1 only), valid for the result TTL after completion'),
    created_at: int('Unix seconds'), processed_at: int('Unix seconds'), completed_at: int('Unix seconds'),
    type: int(`detected input kind: ${Object.entries(INPUT_TYPES).map(([k, v]) => `${v} ${k}`).join(', ')}`),
    file_pages: int('pages in the input'), ocr_pages: int('pages that were OCR\'d'),
    input_size: int('bytes'), output_size: int('bytes'),
    err_message: str('the cause, for state < 0'), pages_done: int('pages finished'), pages_total: int('pages to do'),
  },
};

export function openApiDocument(serverUrl: string): object {
  const createFields = {
    image_url: str('http/https URL, port 80 or 443; exactly one of image_url and image_file'),
    image_file: { type: 'string', format: 'binary', description: 'the file (up to 200 MB)' },
    language: str('comma-separated, case-sensitive names, 1 to 10 (default ChinesePRC,English,Digits)'),
    password: str('password of a protected PDF/Office file, up to 32 characters'),
    format: { type: 'string', enum: [...OUTPUT_FORMATS, ...EXTRA_OUTPUT_FORMATS], default: 'txt' },
    sync: { type: 'string', enum: ['0', '1'], default: '0' },
    callback_url: str('http/https URL that receives the query body when the task ends'),
    pages: str('beyond the reference: pages to read, page numbers and ranges such as 1-3,5 (default: every page)'),
  };
  const auth = [{ apiKey: [] }];
  return {
    openapi: '3.0.3',
    info: { title: 'docr — PicWish-compatible Document OCR API', version: '1' },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' } } },
    paths: {
      '/api/tasks/document/ocr': {
        post: {
          summary: 'Create an OCR task (1 credit)', security: auth,
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }],
          requestBody: { required: true, content: {
            'multipart/form-data': { schema: { type: 'object', properties: createFields } },
            'application/x-www-form-urlencoded': { schema: { type: 'object', properties: createFields } },
            'application/json': { schema: { type: 'object', properties: createFields } },
          } },
          responses: {
            200: { description: 'task created (with sync=1: the query body once the task ended or the wait limit passed)',
              content: { 'application/json': { schema: envelope({ type: 'object', properties: { task_id: str('the new task') } }) } } },
            400: errorResponse('a field is invalid; message names it'), 401: errorResponse('missing, unknown or disabled key'),
            402: errorResponse('insufficient credits'), 413: errorResponse('upload over 200 MB'), 429: errorResponse('over the key\'s QPS'),
          },
        },
      },
      '/api/tasks/document/ocr/{task_id}': {
        parameters: [{ name: 'task_id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          summary: 'Query a task', security: auth,
          responses: {
            200: { description: 'the task', content: { 'application/json': { schema: envelope(queryData) } } },
            401: errorResponse('missing, unknown or disabled key'), 404: errorResponse('unknown task (or another key\'s)'), 429: errorResponse('over the query limit'),
          },
        },
        delete: {
          summary: 'Cancel a task (state -13) and delete its input and result (beyond the reference)', security: auth,
          responses: {
            200: { description: 'the task as it now is', content: { 'application/json': { schema: envelope(queryData) } } },
            401: errorResponse('missing, unknown or disabled key'), 404: errorResponse('unknown task (or another key\'s)'),
          },
        },
      },
      '/api/tasks/document/ocr/{task_id}/events': {
        parameters: [{ name: 'task_id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          summary: 'Server-sent events: one `state` event (data: the query body) per change of state, progress or pages done, until the task ends or the sync wait limit passes (beyond the reference)', security: auth,
          responses: {
            200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
            401: errorResponse('missing, unknown or disabled key'), 404: errorResponse('unknown task (or another key\'s)'),
          },
        },
      },
      '/api/results/{file}': {
        get: {
          summary: 'Download a result (the signed URL in data.file; no key needed)',
          parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'expires', in: 'query', required: true, schema: { type: 'integer' } },
            { name: 'signature', in: 'query', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'the result file' }, 404: errorResponse('unknown or badly signed'), 410: errorResponse('expired') },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'alive' } } } },
      '/readyz': { get: { summary: 'Readiness', responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format' } } } },
    },
  };
}
