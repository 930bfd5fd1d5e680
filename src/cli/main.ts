/**
 * docr's command line: `docr serve`, `docr worker`, `docr keys ...`, `docr migrate`,
 * `docr ocr ...`. Errors become exit codes through the catalogue (exitCodeOf); configuration
 * and usage errors exit 2. Every failure is one message on stderr, never a stack trace,
 * unless it is a bug (an error docr did not expect).
 */
import { ConfigError } from '../config/errors.js';
import { exitCodeOf, isDocrError } from '../domain/errors.js';
import { UsageError } from './args.js';
import { KEYS_USAGE } from './keys-usage.js';

const USAGE = `docr — self-hosted document OCR speaking the PicWish Document OCR API

usage:
  docr serve [options]        run the HTTP API with its workers (docr serve --help)
  docr worker [options]       scaled mode: run OCR workers beside the API nodes (docr worker --help)
  docr migrate                scaled mode: apply pending PostgreSQL migrations
  docr keys <command>         manage API keys and credits
  docr ocr <file> [options]   OCR a file locally, without the server (docr ocr --help)
  docr languages [install]    list the language names; install the models of more of them
  docr doctor [--json]        check every dependency (models, Tesseract packs, LibreOffice, fonts, disk) and how to fix it

${KEYS_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command loads only what it needs (docr ocr starts its engine before anything else).
    case 'serve': return (await import('./serve-command.js')).runServeCommand(rest, process.env);
    case 'worker': return (await import('./worker-command.js')).runWorkerCommand(rest, process.env);
    case 'migrate': return (await import('./migrate-command.js')).runMigrateCommand(rest, process.env);
    case 'keys': return (await import('./keys-command.js')).runKeysCommand(rest, process.env);
    case 'ocr': {
      // A remote run (--server) needs only the SDK; a local one loads the engines and renderers.
      const { readOcrArgs } = await import('./ocr/options.js');
      const read = readOcrArgs(rest);
      if ('exit' in read) return read.exit;
      if (read.opts.server !== undefined) return (await import('./ocr/remote.js')).runRemote(read.opts, process.env);
      const mod = await import(new URL('./ocr-command.js', import.meta.url).href) as { runOcrCommand(argv: string[]): Promise<number> };
      return mod.runOcrCommand(rest);
    }
    case 'languages': return (await import('./languages-command.js')).runLanguagesCommand(rest);
    case 'doctor': return (await import('./doctor-command.js')).runDoctorCommand(rest, process.env);
    case undefined: case 'help': case '--help': case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof ConfigError || e instanceof UsageError) { console.error(`docr: ${e.message}`); process.exitCode = 2; return; }
    if (isDocrError(e)) { console.error(`docr: ${e.message}`); process.exitCode = exitCodeOf(e); return; }
    console.error('docr:', e);
    process.exitCode = 1;
  },
);
