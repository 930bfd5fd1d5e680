/**
 * Where `docr ocr` (local or remote) writes each result — a file for one input, a directory
 * for several, or stdout — and how it reports them.
 */
import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFormat } from '../../contract/formats.js';

/** Formats printed on stdout when no -o is given. */
export const TEXT_FORMATS: ReadonlySet<OutputFormat> = new Set(['txt', 'json', 'hocr']);

export interface FileResult {
  input: string;
  output?: string;
  engine?: string;
  pages?: number;
  text?: string;
  error?: { code: string; message: string };
}

/** Output path for `input`, or undefined for stdout. */
export function outputPathFor(input: string, out: string | undefined, inputCount: number, ext: string): string | undefined {
  if (out === undefined) return undefined;
  const isDir = inputCount > 1 || out.endsWith(path.sep) || (() => {
    try { return statSync(out).isDirectory(); } catch { return false; }
  })();
  if (!isDir) return out;
  const stem = path.basename(input).replace(/\.[^.]+$/, '');
  return path.join(out, `${stem}.${ext}`);
}

/** Several inputs may share a stem (a.png, a.jpg): later ones get "-2", "-3" so no result is overwritten. */
export function uniquePaths(paths: (string | undefined)[]): (string | undefined)[] {
  const seen = new Map<string, number>();
  return paths.map((p) => {
    if (p === undefined) return p;
    const n = (seen.get(p) ?? 0) + 1;
    seen.set(p, n);
    if (n === 1) return p;
    const ext = path.extname(p);
    return `${p.slice(0, p.length - ext.length)}-${n}${ext}`;
  });
}

/** Each input's output path (undefined: stdout). Binary results never go to a terminal: without -o they land beside the caller as NAME.FORMAT. */
export async function plannedOutputs(files: string[], output: string | undefined, format: OutputFormat): Promise<(string | undefined)[]> {
  const out = output ?? (TEXT_FORMATS.has(format) ? undefined : `.${path.sep}`);
  if (output !== undefined && files.length > 1) await mkdir(output, { recursive: true });
  return uniquePaths(files.map((f) => outputPathFor(f, out, files.length, format)));
}

/** Writes a result to its output, or keeps its text for stdout. */
export async function saveResult(input: string, output: string | undefined, body: Buffer): Promise<FileResult> {
  if (output === undefined) return { input, text: body.toString('utf8') };
  await mkdir(path.dirname(path.resolve(output)), { recursive: true });
  await writeFile(output, body);
  return { input, output };
}

/** Results in input order: text to stdout (with a header per file when several), errors to stderr. */
export function report(results: FileResult[], json: boolean, count: number): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
    return;
  }
  for (const r of results) {
    if (r.error) { process.stderr.write(`docr ocr: ${r.input}: ${r.error.message}\n`); continue; }
    if (r.text !== undefined) process.stdout.write(count > 1 ? `==> ${r.input} <==\n${r.text}` : r.text);
    else process.stderr.write(`${r.input} → ${r.output}\n`);
  }
}
