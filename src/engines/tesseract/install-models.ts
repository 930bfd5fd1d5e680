/**
 * Installs Tesseract models on request (`docr languages install NAME...`): each name's model
 * comes from Debian's `tesseract-ocr-<code>` package, installed with apt-get (as root, or
 * through sudo). apt-get waits for a lock another install holds rather than failing, and the
 * package lists are refreshed once when a package is not found in them.
 */
import { DIGITS, tesseractCodeOf, tesseractPackageOf } from '../../contract/languages.js';
import { DocrError } from '../../domain/errors.js';
import { runProcess } from '../../platform/run-process.js';
import { installedTesseractCodes } from './installed.js';

const APT_TIMEOUT_MS = 20 * 60_000;

export interface ModelInstallPlan {
  /** Names whose model is already there (Digits needs none of its own). */
  present: string[];
  /** Names to install, and the Debian packages that hold their models. */
  missing: string[];
  packages: string[];
}

/** Which of the names need a package; unknown names are a BAD_PARAMETER naming them. */
export async function planModelInstall(names: readonly string[], opts: { fresh?: boolean } = {}): Promise<ModelInstallPlan> {
  const unknown = names.filter((n) => n !== DIGITS && tesseractCodeOf(n) === undefined);
  if (unknown.length > 0) {
    throw new DocrError('BAD_PARAMETER', `Unknown language name ${unknown.map((n) => `"${n}"`).join(', ')}: \`docr languages\` lists the names (case-sensitive).`, { field: 'language', value: unknown });
  }
  const installed = await installedTesseractCodes(opts);
  const plan: ModelInstallPlan = { present: [], missing: [], packages: [] };
  for (const name of names) {
    const code = name === DIGITS ? 'eng' : tesseractCodeOf(name)!;
    if (installed.has(code)) { plan.present.push(name); continue; }
    plan.missing.push(name);
    const pkg = tesseractPackageOf(code);
    if (!plan.packages.includes(pkg)) plan.packages.push(pkg);
  }
  return plan;
}

async function aptGet(args: string[]): Promise<{ ok: boolean; output: string }> {
  const root = process.getuid?.() === 0;
  const argv = ['apt-get', '-o', 'DPkg::Lock::Timeout=600', ...args];
  const r = await runProcess(root ? argv[0] : 'sudo', root ? argv.slice(1) : ['-n', ...argv], {
    timeoutMs: APT_TIMEOUT_MS, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).catch((e: unknown) => {
    throw new DocrError('INTERNAL', `apt-get could not be started (${(e as Error).message}): install the packages by hand.`);
  });
  return { ok: r.code === 0, output: `${r.stdout.toString('utf8')}\n${r.stderr}` };
}

/** Installs the packages (refreshing the package lists once if one is unknown to them); throws with apt's words on failure. */
export async function installPackages(packages: readonly string[]): Promise<void> {
  if (packages.length === 0) return;
  const install = ['install', '-y', '-q', '--no-install-recommends', ...packages];
  let r = await aptGet(install);
  if (!r.ok && /Unable to locate package|has no installation candidate/.test(r.output)) {
    await aptGet(['update', '-q']);
    r = await aptGet(install);
  }
  if (!r.ok) {
    const tail = r.output.trim().split('\n').slice(-4).join(' | ');
    throw new DocrError('INTERNAL', `Installing ${packages.join(' ')} failed (run as root, or where sudo needs no password): ${tail}`);
  }
}
