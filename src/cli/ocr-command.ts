/**
 * `docr ocr FILE... [-l LANGUAGES] [-f txt|json] [-o OUT] [--json]`: local recognition
 * without a server. One recognizer serves every file, so models load once; files are read
 * concurrently by the pool. A file that fails is reported and the others still run; the
 * exit code is that of the first failure (exitCodeOf), 0 when all succeed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DocrError, exitCodeOf, toDocrError } from '../domain/errors.js';
import type { OcrDocument } from '../domain/ocr-tree.js';
import { createRecognizer, installedLanguageNames, validateLanguages } from '../engines/index.js';
import { renderJson } from '../renderers/json/index.js';
import { renderTxt } from '../renderers/txt/index.js';
import { readImageFile } from './ocr/image-input.js';
import { outputPathFor, uniquePaths } from './ocr/outputs.js';

const USAGE = `usage: docr ocr FILE... [-l LANGUAGES] [-f txt|json] [-o OUT] [--json]
  -l, --language  comma-separated names, as the API takes them (default ChinesePRC,English,Digits)
  -f, --format    txt (default) or json (the OCR tree, as the API's json result)
  -o, --output    a file for one input, a directory for several (named after the inputs)
      --json      print a JSON report of every input on stdout instead of messages`;

const FORMATS = ['txt', 'json'] as const;
type CliFormat = (typeof FORMATS)[number];

interface FileResult {
  input: string;
  output?: string;
  engine?: string;
  pages?: number;
  text?: string;
  error?: { code: string; message: string };
}

function render(doc: OcrDocument, format: CliFormat): string {
  return format === 'txt' ? renderTxt(doc) : `${renderJson(doc)}\n`;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      language: { type: 'string', short: 'l' },
      format: { type: 'string', short: 'f', default: 'txt' },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!(FORMATS as readonly string[]).includes(values.format!)) {
    throw new DocrError('BAD_PARAMETER', `format "${values.format}" is not one of ${FORMATS.join(', ')}.`, { field: 'format' });
  }
  return { ...values, format: values.format as CliFormat, files: positionals };
}

export async function runOcrCommand(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(argv);
  } catch (e) {
    process.stderr.write(`docr ocr: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  if (opts.files.length === 0) { process.stderr.write(`docr ocr: no input file\n${USAGE}\n`); return 2; }
  let languages: string[];
  try {
    languages = validateLanguages(opts.language, await installedLanguageNames());
  } catch (e) {
    const err = toDocrError(e);
    process.stderr.write(`docr ocr: ${err.message}\n`);
    return exitCodeOf(err);
  }

  const outputs = uniquePaths(opts.files.map((f) => outputPathFor(f, opts.output, opts.files.length, opts.format)));
  if (opts.output !== undefined && opts.files.length > 1) await mkdir(opts.output, { recursive: true });
  const recognizer = createRecognizer({ workers: undefined, queueLimit: opts.files.length + 1 });
  let exit = 0;
  try {
    const engine = recognizer.route(languages);
    const results = await Promise.all(opts.files.map(async (input, i): Promise<FileResult> => {
      try {
        const image = await readImageFile(input);
        const page = await recognizer.recognize(image, { languages });
        const body = render({ pages: [page], languages }, opts.format);
        const output = outputs[i];
        if (output !== undefined) {
          await mkdir(path.dirname(path.resolve(output)), { recursive: true });
          await writeFile(output, body);
        }
        return { input, output, engine, pages: 1, ...(output === undefined ? { text: body } : {}) };
      } catch (e) {
        const err = toDocrError(e);
        if (exit === 0) exit = exitCodeOf(err);
        return { input, error: { code: err.code, message: err.message } };
      }
    }));
    report(results, opts.json, opts.files.length);
  } finally {
    await recognizer.close();
  }
  return exit;
}

/** Results in input order: text to stdout (with a header per file when several), errors to stderr. */
function report(results: FileResult[], json: boolean, count: number): void {
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
