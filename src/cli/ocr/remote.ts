/**
 * `docr ocr FILE... --server URL [--key KEY]`: the files are read by a docr server through
 * the SDK (uploaded as streams, waited on through the event stream), each with its own
 * progress bar on a terminal (plain lines otherwise). A failure prints the server's message
 * and sets the exit code the local mode would (exitCodeOf's numbers).
 */
import type { OutputFormat } from '../../contract/formats.js';
import {
  BadRequestError, DocrClient, TaskFailedError, type Task,
} from '../../../sdk/src/node.js';
import { plannedOutputs, report, saveResult, type FileResult } from './outputs.js';
import { OcrProgress } from './progress.js';

export interface RemoteOptions {
  files: string[];
  server?: string;
  key?: string;
  language?: string;
  format: OutputFormat;
  password?: string;
  pages?: string;
  output?: string;
  json?: boolean;
  quiet?: boolean;
}

const NOTES: Record<number, string> = { 0: 'queued', 2: 'preparing', 3: 'waiting for a worker', 5: 'writing the result', 1: 'done' };

function noteOf(t: Task): string {
  if (t.state === 4 || t.state === 6) return t.pages_total ? `reading page ${Math.min((t.pages_done ?? 0) + 1, t.pages_total)} of ${t.pages_total}` : 'reading';
  return NOTES[t.state] ?? `state ${t.state}`;
}

/** The local mode's exit codes (domain/errors.ts exitCodeOf) for the server's answers. */
function exitCodeOf(e: unknown): number {
  if (e instanceof BadRequestError) return 2;
  if (e instanceof TaskFailedError) return e.state === -7 ? 3 : e.state === -14 ? 4 : e.state === -8 ? 5 : 1;
  return 1;
}

export async function runRemote(opts: RemoteOptions, env: NodeJS.ProcessEnv): Promise<number> {
  const apiKey = opts.key ?? env.DOCR_API_KEY;
  if (!apiKey) {
    process.stderr.write('docr ocr: --server needs an API key: pass --key or set DOCR_API_KEY\n');
    return 2;
  }
  const client = new DocrClient({ baseUrl: opts.server!, apiKey });
  const outputs = await plannedOutputs(opts.files, opts.output, opts.format);
  const progress = opts.quiet ? undefined : new OcrProgress(process.stderr, Date.now, { perFile: true });
  let exit = 0;
  const results = await Promise.all(opts.files.map(async (input, i): Promise<FileResult> => {
    let last: Task | undefined;
    try {
      progress?.update(input, 0, 0, 'sending');
      const task = await client.createTask({ file: input, languages: opts.language, format: opts.format, password: opts.password, pages: opts.pages });
      const done = await client.waitForResult(task, {
        timeoutMs: Infinity,
        onProgress: (t) => { last = t; progress?.update(input, t.pages_done ?? 0, t.pages_total ?? 0, noteOf(t)); },
      });
      const body = Buffer.from(await (await client.download(done)).arrayBuffer());
      progress?.finish(input);
      return { ...await saveResult(input, outputs[i], body), pages: done.file_pages };
    } catch (e) {
      progress?.update(input, last?.pages_done ?? 0, last?.pages_total ?? 0, 'failed');
      if (exit === 0) exit = exitCodeOf(e);
      const error = e as Error;
      return { input, error: { code: error.name, message: error.message } };
    }
  }));
  progress?.clear();
  report(results, opts.json ?? false, opts.files.length);
  return exit;
}
