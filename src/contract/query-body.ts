/**
 * The answers (SPEC §1.1, §1.3): the envelope, the query body (also what a callback
 * delivers, SPEC §2) and the create answer, as zod schemas that the OpenAPI document and
 * the SDK's types are derived from. Pure: `toQueryBody` reads a task view (structurally the
 * TaskStore's record) and the result URL.
 */
import { z } from 'zod';
import { INPUT_TYPES, type InputKind } from './formats.js';

/** `{status, message, data}`: every answer (SPEC §1.1). */
export function envelopeOf<T extends z.ZodType>(data: T, id: string, description: string) {
  return z.object({
    status: z.number().int().meta({ description: 'Equals the HTTP status code.' }),
    message: z.string().meta({ description: '"success", or a sentence naming the offending field or the cause.' }),
    data,
  }).meta({ id, description });
}

const seconds = (what: string) => z.number().int().meta({ description: `Unix seconds (a JSON number) when the task ${what}; absent until then.` }).optional();
const count = (description: string) => z.number().int().min(0).meta({ description }).optional();

/** beyond: the callback's delivery as far as it went. */
export const callbackStatus = z.object({
  attempts: z.number().int().min(0).meta({ description: 'Deliveries tried so far.' }),
  delivered: z.boolean().meta({ description: 'A 2xx answer was received.' }),
  last_status: z.number().int().optional().meta({ description: 'HTTP status of the last attempt, if it got an answer.' }),
  last_error: z.string().optional().meta({ description: 'Why the last attempt failed, if it did.' }),
  gave_up: z.boolean().optional().meta({ description: 'No further attempt will be made (refused address, or the retry schedule is spent).' }),
}).meta({ id: 'CallbackStatus', description: 'docr extra: the callback_url delivery (Standard Webhooks), present once the task has ended with a callback_url.' });

export const queryData = z.object({
  task_id: z.string().meta({ description: 'The task id (a UUID).' }),
  state: z.number().int().meta({ description: 'Task state: 0 queued, 2 preparing, 3 waiting, 4 processing, 6 page by page, 5 publishing, 1 succeeded; negative: failed (final).' }),
  progress: z.number().int().min(0).max(100).meta({ description: '0..100, never decreasing; 100 exactly when state is 1.' }),
  file: z.string().optional().meta({ description: 'Signed result URL, present when state is 1 (until purged); valid for the result TTL (1 hour by default) after completion.' }),
  created_at: seconds('was created'),
  processed_at: seconds('started processing'),
  completed_at: seconds('ended'),
  type: z.number().int().meta({ description: `Detected input kind: ${Object.entries(INPUT_TYPES).map(([k, v]) => `${v} ${k}`).join(', ')}.` }),
  file_pages: count('Pages in the input.'),
  ocr_pages: count('Pages that were OCR\'d (pages with a usable text layer are extracted instead).'),
  input_size: count('Input bytes.'),
  output_size: count('Result bytes.'),
  err_message: z.string().optional().meta({ description: 'docr extra: for state < 0, the cause in words (also in message).' }),
  pages_done: count('docr extra: pages finished.'),
  pages_total: count('docr extra: pages to read.'),
  callback: callbackStatus.optional(),
  purged: z.boolean().optional().meta({ description: 'docr extra: true once the result was deleted (DELETE, or the result TTL passed and the sweeper removed it); file is then absent.' }),
  languages_detected: z.array(z.string()).optional().meta({ description: 'docr extra: for language=auto, the language names found on the pages (SPEC §7), once the task has succeeded.' }),
}).meta({ id: 'QueryData', description: 'A task as the query, sync=1, the event stream and callbacks report it.' });

export type QueryData = z.infer<typeof queryData>;
export const queryBody = envelopeOf(queryData, 'QueryBody', 'The query body; also what a callback POSTs.');
export type QueryBody = z.infer<typeof queryBody>;
export type Envelope<T> = { status: number; message: string; data: T };

export const createdData = z.object({ task_id: z.string().meta({ description: 'The new task\'s id: query it, or wait for its callback.' }) }).meta({ id: 'CreatedData' });
export const createdBody = envelopeOf(createdData, 'CreatedBody', 'The task was created (1 credit taken).');
export type CreatedBody = z.infer<typeof createdBody>;

export const errorBody = envelopeOf(z.record(z.string(), z.unknown()).meta({ description: 'Facts about the error, such as the field name; often empty.' }), 'ErrorBody', 'A rejected request: status equals the HTTP status, message says what to do.');
export type ErrorBody = z.infer<typeof errorBody>;

/** What the query body needs of a task (the TaskStore's TaskRecord has these fields). */
export interface TaskView {
  id: string;
  state: number;
  progress: number;
  inputKind?: InputKind;
  inputSize?: number;
  filePages?: number;
  ocrPages?: number;
  pagesDone?: number;
  pagesTotal?: number;
  outputSize?: number;
  languagesDetected?: string[];
  errorMessage?: string;
  /** Unix milliseconds. */
  createdAt: number;
  processedAt?: number;
  completedAt?: number;
  /** Where the result is stored; a succeeded task without one was purged (DELETE, or the result TTL passed). */
  resultKey?: string;
  callback?: { attempts: number; delivered: boolean; lastStatus?: number; lastError?: string; nextAttemptAt?: number };
}

const toSeconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000));

function callbackOf(task: TaskView): QueryData['callback'] {
  const c = task.callback;
  if (!c) return undefined;
  return {
    attempts: c.attempts, delivered: c.delivered, last_status: c.lastStatus, last_error: c.lastError,
    gave_up: !c.delivered && c.nextAttemptAt === undefined && c.attempts > 0 ? true : undefined,
  };
}

export function toQueryData(task: TaskView, fileUrl?: string): QueryData {
  const failed = task.state < 0;
  const purged = task.state === 1 && !task.resultKey;
  const data: QueryData = {
    task_id: task.id,
    state: task.state,
    progress: task.state === 1 ? 100 : Math.min(task.progress, 99),
    file: task.state === 1 && !purged ? fileUrl : undefined,
    created_at: toSeconds(task.createdAt),
    processed_at: toSeconds(task.processedAt),
    completed_at: toSeconds(task.completedAt),
    type: task.inputKind ? INPUT_TYPES[task.inputKind] : 0,
    file_pages: task.filePages,
    ocr_pages: task.ocrPages,
    input_size: task.inputSize,
    output_size: task.outputSize,
    err_message: failed ? (task.errorMessage ?? 'The task failed.') : undefined,
    pages_done: task.pagesDone,
    pages_total: task.pagesTotal,
    callback: callbackOf(task),
    purged: purged ? true : undefined,
    languages_detected: task.languagesDetected,
  };
  for (const k of Object.keys(data) as (keyof QueryData)[]) if (data[k] === undefined) delete data[k];
  if (data.callback) for (const k of Object.keys(data.callback) as (keyof NonNullable<QueryData['callback']>)[]) if (data.callback[k] === undefined) delete data.callback[k];
  return data;
}

/** The full body: status 200; message "success", or the failure's cause for state < 0. */
export function toQueryBody(task: TaskView, fileUrl?: string): Envelope<QueryData> {
  const data = toQueryData(task, fileUrl);
  return { status: 200, message: data.err_message ?? 'success', data };
}
