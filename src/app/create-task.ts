/**
 * createTask: validate the fields, insert the task and take its credit in one transaction,
 * hand the id to the queue. The upload (if any) is already in the BlobStore under
 * `inputs/<taskId>`; on any rejection it is removed, so a rejected create leaves nothing.
 */
import { CREATE_FIELDS, FieldError, parseCreateRequest, type RawFieldValue } from '../contract/create-request.js';
import { isIP } from 'node:net';
import { DocrError } from '../domain/errors.js';
import { forbiddenRange, parseAllowList } from '../platform/outbound-guard/index.js';
import { TaskState } from '../domain/task-state.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { ApiKeyRecord, TaskRecord, TaskSource, TaskStore } from '../ports/task-store.js';
import type { SecretBox } from '../platform/secret-box.js';

export interface CreateTaskDeps {
  store: TaskStore;
  blobs: BlobStore;
  queue: JobQueue;
  clock: Clock;
  /** Seals the task's password before it is stored (the server's secret); only the pipeline opens it. */
  secrets: SecretBox;
  /** Private ranges callbacks may reach (the outbound guard's allow-list); default none. */
  outboundAllow?: boolean | readonly string[];
  /** The engine router's language check (installed models); default: the contract's vocabulary. */
  validateLanguages?: (value: string) => string[];
}

export interface CreateTaskInput {
  key: ApiKeyRecord;
  taskId: string;
  fields: Record<string, RawFieldValue>;
  /** The stored upload; an empty one counts as no file. */
  upload?: { blobKey: string; size: number; sha256?: string; filename?: string };
  /** The fields came as a JSON object (sync may be a number or a boolean). */
  json?: boolean;
  idempotencyKey?: string;
}

export const inputBlobKey = (taskId: string) => `inputs/${taskId}`;

/** Converts the contract's FieldError (and any error a language validator throws) into BAD_PARAMETER. */
function asBadParameter(e: unknown): unknown {
  if (e instanceof FieldError) return new DocrError('BAD_PARAMETER', e.message, { field: e.field });
  if (e instanceof DocrError) return e;
  if (e instanceof Error) return new DocrError('BAD_PARAMETER', e.message.startsWith('language') ? e.message : `language: ${e.message}`, { field: 'language' });
  return e;
}

export async function createTask(deps: CreateTaskDeps, input: CreateTaskInput): Promise<{ task: TaskRecord; created: boolean; creditsLeft?: number }> {
  // An empty file is no file (SPEC §1.2: present and non-empty): 400, nothing charged.
  const hasFile = !!input.upload && input.upload.size > 0;
  const discardUpload = async () => { if (input.upload) await deps.blobs.delete(input.upload.blobKey); };
  try {
    let req;
    try {
      req = parseCreateRequest(input.fields, hasFile, { json: input.json, validateLanguages: deps.validateLanguages && namingTheField(deps.validateLanguages) });
    } catch (e) {
      if (e instanceof FieldError && e.field === 'image_file' && input.upload?.size === 0) {
        throw new DocrError('BAD_PARAMETER', 'image_file: the file is empty (0 bytes); send the document itself', { field: 'image_file' });
      }
      throw asBadParameter(e);
    }
    if (req.callbackUrl !== undefined) refuseForbiddenCallback(req.callbackUrl, deps.outboundAllow);
    const source: TaskSource = req.imageUrl !== undefined
      ? { kind: 'url', url: req.imageUrl }
      : { kind: 'upload', blobKey: input.upload!.blobKey, size: input.upload!.size, filename: input.upload!.filename };
    const task: TaskRecord = {
      id: input.taskId,
      keyId: input.key.id,
      state: TaskState.Queued,
      progress: 0,
      source,
      options: {
        languages: req.languages, format: req.format,
        sealedPassword: req.password === undefined ? undefined : deps.secrets.seal(req.password, input.taskId),
        callbackUrl: req.callbackUrl, sync: req.sync, pages: req.pages,
      },
      inputSize: source.kind === 'upload' ? source.size : undefined,
      createdAt: deps.clock.now(),
      attempts: 0,
      idempotencyKey: input.idempotencyKey,
      requestFingerprint: input.idempotencyKey ? fingerprint(input, deps.secrets) : undefined,
    };
    const result = await deps.store.insertCharged(stripUndefined(task));
    if (!result.created) {
      await discardUpload(); // an idempotent replay: the first upload is the task's
      if (result.task.requestFingerprint !== task.requestFingerprint) {
        throw new DocrError('BAD_PARAMETER', 'Idempotency-Key: this key was already used for a different request in the last 24 h; use a new key', { field: 'Idempotency-Key' });
      }
    } else await deps.queue.enqueue(task.id);
    return result;
  } catch (e) {
    await discardUpload();
    throw e;
  }
}

/**
 * The request as far as idempotency cares: the known fields' values and the upload's bytes.
 * Keyed (HMAC under the server's secret): it covers the password, and a plain hash of a
 * short password can be guessed back from the stored fingerprint.
 */
function fingerprint(input: CreateTaskInput, secrets: SecretBox): string {
  const fields = CREATE_FIELDS.filter((f) => f !== 'image_file').map((f) => [f, input.fields[f] ?? null]);
  return secrets.digest(JSON.stringify([fields, input.upload?.sha256 ?? null]));
}

function stripUndefined(t: TaskRecord): TaskRecord {
  const options = Object.fromEntries(Object.entries(t.options).filter(([, v]) => v !== undefined)) as TaskRecord['options'];
  const rest = Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as TaskRecord;
  return { ...rest, options };
}

/**
 * A callback_url whose host is a literal address the outbound guard would refuse (loopback,
 * private, link-local, ...; numeric spellings such as 2130706433 are normalised by the URL
 * parser first) is a 400 now, rather than a delivery refused when the task ends. Host names
 * are resolved, and checked, at delivery.
 */
function refuseForbiddenCallback(callbackUrl: string, allow: boolean | readonly string[] | undefined): void {
  const host = new URL(callbackUrl).hostname.replace(/^\[(.*)\]$/, '$1');
  if (!isIP(host)) return;
  const range = forbiddenRange(host, parseAllowList(allow));
  if (range) {
    throw new DocrError('BAD_PARAMETER', `callback_url: ${host} is a ${range} address, which docr does not call; give a public address`, { field: 'callback_url' });
  }
}

/** The engine router's vocabulary check speaks of names only: its 400s also say which field they are about. */
function namingTheField(validate: (value: string) => string[]): (value: string) => string[] {
  return (value) => {
    try {
      return validate(value);
    } catch (e) {
      if (e instanceof DocrError && e.code === 'BAD_PARAMETER' && !/^language\b/i.test(e.message)) {
        throw new DocrError('BAD_PARAMETER', `language: ${e.message}`, { ...e.details, field: 'language' });
      }
      throw e;
    }
  };
}
