/**
 * The query body (SPEC §1.3), the same JSON a callback delivers (SPEC §2). Pure: it reads
 * a task view (structurally the TaskStore's record) and the result URL.
 */
import { INPUT_TYPES, type InputKind } from './formats.js';

export interface Envelope<T> {
  status: number;
  message: string;
  data: T;
}

export interface QueryData {
  task_id: string;
  state: number;
  progress: number;
  /** Result URL; present only when state is 1. */
  file?: string;
  /** Unix seconds as JSON numbers (SPEC §1.3: the vendor's Go sample reads int64); absent until they happen. */
  created_at?: number;
  processed_at?: number;
  completed_at?: number;
  /** Detected input kind, INPUT_TYPES; 0 until detected. */
  type: number;
  file_pages?: number;
  ocr_pages?: number;
  input_size?: number;
  output_size?: number;
  /** beyond: the failure's cause for state < 0. */
  err_message?: string;
  /** beyond: per-page progress. */
  pages_done?: number;
  pages_total?: number;
}

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
  errorMessage?: string;
  /** Unix milliseconds. */
  createdAt: number;
  processedAt?: number;
  completedAt?: number;
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000));

export function toQueryData(task: TaskView, fileUrl?: string): QueryData {
  const failed = task.state < 0;
  const data: QueryData = {
    task_id: task.id,
    state: task.state,
    progress: task.state === 1 ? 100 : Math.min(task.progress, 99),
    file: task.state === 1 ? fileUrl : undefined,
    created_at: seconds(task.createdAt),
    processed_at: seconds(task.processedAt),
    completed_at: seconds(task.completedAt),
    type: task.inputKind ? INPUT_TYPES[task.inputKind] : 0,
    file_pages: task.filePages,
    ocr_pages: task.ocrPages,
    input_size: task.inputSize,
    output_size: task.outputSize,
    err_message: failed ? (task.errorMessage ?? 'The task failed.') : undefined,
    pages_done: task.pagesDone,
    pages_total: task.pagesTotal,
  };
  for (const k of Object.keys(data) as (keyof QueryData)[]) if (data[k] === undefined) delete data[k];
  return data;
}

/** The full body: status 200; message "success", or the failure's cause for state < 0. */
export function toQueryBody(task: TaskView, fileUrl?: string): Envelope<QueryData> {
  const data = toQueryData(task, fileUrl);
  return { status: 200, message: data.err_message ?? 'success', data };
}
