/**
 * `docr ocr`'s arguments, shared by the local mode (ocr-command.ts) and the remote one
 * (remote.ts), and read before either is loaded: a remote run never loads the engines.
 */
import { parseArgs } from 'node:util';
import { DocrError } from '../../domain/errors.js';
import { EXTRA_OUTPUT_FORMATS, OUTPUT_FORMATS, type OutputFormat } from '../../contract/formats.js';
import { parsePageRanges } from '../../contract/page-ranges.js';

const USAGE = `usage: docr ocr FILE... [-l LANGUAGES] [-f FORMAT] [-p PASSWORD] [--pages 1-3,5] [-o OUT] [--json] [-q]
                [--server URL [--key KEY]]
  FILE            pdf, doc(x), xls(x), ppt(x), jpeg, png, gif, bmp, tiff or webp (type by content)
  -l, --language  comma-separated names, as the API takes them (default ChinesePRC,English,Digits)
  -f, --format    txt (default), pdf, docx, xlsx, pptx, json or hocr
  -p, --password  opens password-protected PDF and Office files
      --pages     only these pages, e.g. 1-3,5
  -o, --output    a file for one input, a directory for several (named after the inputs);
                  without it text formats go to stdout and the others to ./NAME.FORMAT
      --json      print a JSON report of every input on stdout instead of messages
  -q, --quiet     no progress: multi-page work otherwise shows a bar on a terminal
                  (pages done, pages/min, ETA) or a line per page, on stderr
      --server    a docr (or PicWish-compatible) server's URL: the files are read there
                  instead of here, with a progress bar per file; the server checks -l
      --key       the server's API key (default: $DOCR_API_KEY)`;

const FORMATS: readonly OutputFormat[] = [...OUTPUT_FORMATS, ...EXTRA_OUTPUT_FORMATS];

export function parse(argv: string[]) {
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
      server: { type: 'string' },
      key: { type: 'string' },
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

export type OcrArgs = ReturnType<typeof parse>;

/** The parsed arguments, or the exit code after usage was printed (help, errors, no file). */
export function readOcrArgs(argv: string[]): { opts: OcrArgs } | { exit: number } {
  let opts: OcrArgs;
  try {
    opts = parse(argv);
  } catch (e) {
    process.stderr.write(`docr ocr: ${(e as Error).message}\n${USAGE}\n`);
    return { exit: 2 };
  }
  if (opts.help) { process.stdout.write(`${USAGE}\n`); return { exit: 0 }; }
  if (opts.files.length === 0) { process.stderr.write(`docr ocr: no input file\n${USAGE}\n`); return { exit: 2 }; }
  return { opts };
}
