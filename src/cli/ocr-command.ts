/**
 * `docr ocr FILE... [-l LANGUAGES] [-f FORMAT] [-p PASSWORD] [-o OUT] [--json]`: the service's
 * pipeline run locally, without a server (src/composition/local.ts): every input kind and
 * result format the API takes. One recognizer serves every file, so models load once; files
 * are read concurrently. A file that fails is reported and the others still run; the exit
 * code is that of the first failure (exitCodeOf), 0 when all succeed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DocrError, exitCodeOf, toDocrError } from '../domain/errors.js';
import { EXTRA_OUTPUT_FORMATS, OUTPUT_FORMATS, type OutputFormat } from '../contract/formats.js';
import { startLocal } from '../composition/local.js';
import { parsePageRanges } from '../contract/page-ranges.js';
import { installedLanguageNames, validateLanguages } from '../engines/index.js';
import { outputPathFor, uniquePaths } from './ocr/outputs.js';
import { OcrProgress } from './ocr/progress.js';

const USAGE = `usage: docr ocr FILE... [-l LANGUAGES] [-f FORMAT] [-p PASSWORD] [--pages 1-3,5] [-o OUT] [--json] [-q]
  FILE            pdf, doc(x), xls(x), ppt(x), jpeg, png, gif, bmp, tiff or webp (type by content)
  -l, --language  comma-separated names, as the API takes them (default ChinesePRC,English,Digits)
  -f, --format    txt (default), pdf, docx, xlsx, pptx, json or hocr
  -p, --password  opens password-protected PDF and Office files
      --pages     only these pages, e.g. 1-3,5
  -o, --output    a file for one input, a directory for several (named after the inputs);
                  without it text formats go to stdout and the others to ./NAME.FORMAT
      --json      print a JSON report of every input on stdout instead of messages
  -q, --quiet     no progress: multi-page work otherwise shows a bar on a terminal
                  (pages done, pages/min, ETA) or a line per page, on stderr`;

const FORMATS: readonly OutputFormat[] = [...OUTPUT_FORMATS, ...EXTRA_OUTPUT_FORMATS];
/** Formats printed on stdout when no -o is given. */
const TEXT_FORMATS: ReadonlySet<OutputFormat> = new Set(['txt', 'json', 'hocr']);

interface FileResult {
  input: string;
  output?: string;
  engine?: string;
  pages?: number;
  text?: string;
  error?: { code: string; message: string };
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      language: { type: 'string', short: 'l' },
      format: { type: 'string', short: 'f', default: 'txt' },
      password: { type: 'string', short: 'p' },
      pages: { type: 'string' },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!(FORMATS as readonly string[]).includes(values.format!)) {
    throw new DocrError('BAD_PARAMETER', `format "${values.format}" is not one of ${FORMATS.join(', ')}.`, { field: 'format' });
  }
  if (values.pages !== undefined && parsePageRanges(values.pages) === undefined) {
    throw new DocrError('BAD_PARAMETER', `--pages "${values.pages}" is not a page list; use page numbers and ranges such as 1-3,5.`, { field: 'pages' });
  }
  return { ...values, format: values.format as OutputFormat, files: positionals };
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

  // Binary results never go to a terminal: without -o they land beside the caller as NAME.FORMAT.
  const out = opts.output ?? (TEXT_FORMATS.has(opts.format) ? undefined : `.${path.sep}`);
  const outputs = uniquePaths(opts.files.map((f) => outputPathFor(f, out, opts.files.length, opts.format)));
  if (opts.output !== undefined && opts.files.length > 1) await mkdir(opts.output, { recursive: true });
  const local = await startLocal({ warm: languages });
  const progress = opts.quiet ? undefined : new OcrProgress(process.stderr);
  let exit = 0;
  try {
    const engine = local.route(languages);
    const results = await Promise.all(opts.files.map(async (input, i): Promise<FileResult> => {
      try {
        const onProgress = progress && ((done: number, total: number) => progress.update(input, done, total));
        const result = await local.run({ input, languages, format: opts.format, password: opts.password, pages: opts.pages, onProgress });
        progress?.finish(input);
        const body = result.bytes;
        const output = outputs[i];
        if (output !== undefined) {
          await mkdir(path.dirname(path.resolve(output)), { recursive: true });
          await writeFile(output, body);
        }
        return { input, output, engine, pages: result.filePages, ...(output === undefined ? { text: body.toString('utf8') } : {}) };
      } catch (e) {
        const err = toDocrError(e);
        progress?.finish(input);
        if (exit === 0) exit = exitCodeOf(err);
        return { input, error: { code: err.code, message: err.message } };
      }
    }));
    progress?.clear();
    report(results, opts.json, opts.files.length);
  } finally {
    await local.close();
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
