/**
 * `docr ocr FILE... [-l LANGUAGES] [-f FORMAT] [-p PASSWORD] [-o OUT] [--json]`: the service's
 * pipeline run locally, without a server (src/composition/roles/local.ts): every input kind and
 * result format the API takes. One recognizer serves every file, so models load once; files
 * are read concurrently. A file that fails is reported and the others still run; the exit
 * code is that of the first failure (exitCodeOf), 0 when all succeed.
 */
import { exitCodeOf, toDocrError } from '../domain/errors.js';
import { startLocal } from '../composition/roles/local.js';
import { installedLanguageNames, validateLanguages } from '../engines/index.js';
import { plannedOutputs, report, saveResult, type FileResult } from './ocr/outputs.js';
import { readOcrArgs } from './ocr/options.js';
import { OcrProgress } from './ocr/progress.js';

export async function runOcrCommand(argv: string[]): Promise<number> {
  const read = readOcrArgs(argv);
  if ('exit' in read) return read.exit;
  const opts = read.opts;
  if (opts.server !== undefined) return (await import('./ocr/remote.js')).runRemote(opts, process.env);
  const refuse = (e: unknown) => {
    const err = toDocrError(e);
    process.stderr.write(`docr ocr: ${err.message}\n`);
    return exitCodeOf(err);
  };
  let languages: string[];
  try {
    languages = validateLanguages(opts.language);
  } catch (e) {
    return refuse(e);
  }
  // The engine starts now; whether the names' models are installed (`tesseract --list-langs`)
  // is answered meanwhile, and a refusal closes it.
  const local = await startLocal({ warm: languages });
  const progress = opts.quiet ? undefined : new OcrProgress(process.stderr);
  let exit = 0;
  try {
    try {
      validateLanguages(opts.language, await installedLanguageNames());
    } catch (e) {
      return refuse(e);
    }
    const outputs = await plannedOutputs(opts.files, opts.output, opts.format);
    const engine = local.route(languages);
    const results = await Promise.all(opts.files.map(async (input, i): Promise<FileResult> => {
      try {
        const onProgress = progress && ((done: number, total: number) => progress.update(input, done, total));
        const result = await local.run({ input, languages, format: opts.format, password: opts.password, pages: opts.pages, onProgress });
        progress?.finish(input);
        return { ...await saveResult(input, outputs[i], result.bytes), engine, pages: result.filePages };
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
