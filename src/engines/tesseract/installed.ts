/**
 * Which Tesseract models are installed. `tesseract --list-langs` is asked once per process
 * (it fails clearly when Tesseract is missing, and names the model folder); after that the
 * folder itself is listed again whenever the answer is older than a few seconds, so a model
 * installed while the service runs (`docr languages install NAME`) is usable without a restart.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '../../platform/run-process.js';
import { DocrError } from '../../domain/errors.js';

/** How long a listing of the model folder is trusted. */
const FRESH_MS = 2000;

let cached: Promise<ReadonlySet<string>> | undefined;
let folder: string | undefined;
let snapshot: { codes: ReadonlySet<string>; at: number } | undefined;

async function listLangs(): Promise<ReadonlySet<string>> {
  const r = await runProcess('tesseract', ['--list-langs'], { timeoutMs: 15_000 });
  if (r.code !== 0) {
    throw new DocrError('ENGINE_FAILED', 'Tesseract is not usable here: run `npm run setup` to install it.', { stderr: r.stderr.slice(0, 500) });
  }
  // The first line is `List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (25):`; every other line is one code.
  const [head, ...rest] = r.stdout.toString('utf8').split('\n');
  folder = /"([^"]+)"/.exec(head)?.[1];
  const codes = new Set(rest.map((l) => l.trim()).filter((l) => l !== ''));
  snapshot = { codes, at: Date.now() };
  return codes;
}

/** The model folder's `*.traineddata` files (as --list-langs names them), or undefined when it cannot be read. */
function listFolder(dir: string): Set<string> | undefined {
  try {
    const codes = new Set<string>();
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!(e.isFile() || e.isSymbolicLink()) || !e.name.endsWith('.traineddata')) continue;
      const rel = path.relative(dir, path.join(e.parentPath ?? dir, e.name));
      codes.add(rel.slice(0, -'.traineddata'.length).split(path.sep).join('/'));
    }
    return codes;
  } catch {
    return undefined;
  }
}

/**
 * Installed traineddata codes (eng, chi_sim, osd, Fraktur, ...). `fresh` lists the model
 * folder now, for a caller that has just installed models (an apt install can finish well
 * inside the few seconds a listing is otherwise trusted).
 */
export function installedTesseractCodes(opts: { fresh?: boolean } = {}): Promise<ReadonlySet<string>> {
  cached ??= listLangs().catch((e: unknown) => { cached = undefined; throw e; });
  return cached.then(() => {
    if (opts.fresh && snapshot) snapshot = { ...snapshot, at: 0 };
    return installedTesseractCodesSnapshot() ?? new Set<string>();
  });
}

/**
 * The installed codes for synchronous callers (request validation, routing): undefined until
 * `installedTesseractCodes` has completed once; then kept fresh from the model folder.
 */
export function installedTesseractCodesSnapshot(): ReadonlySet<string> | undefined {
  if (!snapshot) return undefined;
  if (folder && Date.now() - snapshot.at > FRESH_MS) {
    const codes = listFolder(folder);
    snapshot = { codes: codes ?? snapshot.codes, at: Date.now() };
  }
  return snapshot.codes;
}
