/** A minimal PicWish-API client for end-to-end tests: create with a file, poll to the end. */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { readFile } from 'node:fs/promises';

/** Where a live docr answers and the key to use. */
export interface Endpoint { baseUrl: string; apiKey: string }

export interface QueryData {
  task_id: string;
  state: number;
  progress: number;
  file?: string;
  err_message?: string;
  file_pages?: number;
  ocr_pages?: number;
  [k: string]: unknown;
}

export async function createFileTask(live: Endpoint, filePath: string, fields: Record<string, string | undefined>): Promise<{ status: number; message: string; data: { task_id?: string } }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.append(k, v);
  form.append('image_file', await openAsBlob(filePath), path.basename(filePath));
  const res = await fetch(`${live.baseUrl}/api/tasks/document/ocr`, { method: 'POST', headers: { 'X-API-KEY': live.apiKey }, body: form });
  return (await res.json()) as { status: number; message: string; data: { task_id?: string } };
}

export async function queryTask(live: Endpoint, taskId: string): Promise<{ status: number; message: string; data: QueryData }> {
  const res = await fetch(`${live.baseUrl}/api/tasks/document/ocr/${taskId}`, { headers: { 'X-API-KEY': live.apiKey } });
  return (await res.json()) as { status: number; message: string; data: QueryData };
}

/** Polls every `intervalMs` until state is 1 or negative, as the reference's samples do. */
export async function waitFinal(live: Endpoint, taskId: string, timeoutMs = 300_000, intervalMs = 500): Promise<QueryData & { message: string }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const body = await queryTask(live, taskId);
    if (body.status !== 200) throw new Error(`query answered ${body.status}: ${body.message}`);
    if (body.data.state === 1 || body.data.state < 0) return { ...body.data, message: body.message };
    if (Date.now() > until) throw new Error(`task ${taskId} still in state ${body.data.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Resident set size of a process in bytes (Linux /proc), 0 when it is gone. */
export async function rssOf(pid: number): Promise<number> {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
