/**
 * Which Tesseract models are installed: `tesseract --list-langs`, asked once per process
 * and cached (the answer only changes when packages are installed, which needs a restart).
 */
import { runProcess } from '../../platform/run-process.js';
import { DocrError } from '../../domain/errors.js';

let cached: Promise<ReadonlySet<string>> | undefined;
let snapshot: ReadonlySet<string> | undefined;

async function listLangs(): Promise<ReadonlySet<string>> {
  const r = await runProcess('tesseract', ['--list-langs'], { timeoutMs: 15_000 });
  if (r.code !== 0) {
    throw new DocrError('ENGINE_FAILED', 'Tesseract is not usable here: run `npm run setup` to install it.', { stderr: r.stderr.slice(0, 500) });
  }
  // The first line is "List of available languages in ...": every other line is one code.
  const codes = r.stdout.toString('utf8').split('\n').slice(1).map((l) => l.trim()).filter((l) => l !== '');
  snapshot = new Set(codes);
  return snapshot;
}

/** Installed traineddata codes (eng, chi_sim, osd, ...). */
export function installedTesseractCodes(): Promise<ReadonlySet<string>> {
  cached ??= listLangs().catch((e: unknown) => { cached = undefined; throw e; });
  return cached;
}

/** The cached listing when `installedTesseractCodes` has completed once, for synchronous callers. */
export function installedTesseractCodesSnapshot(): ReadonlySet<string> | undefined {
  return snapshot;
}
