/**
 * `docr languages [--json]`: every language name the `language` field takes, its Tesseract
 * model and whether it is installed here. `docr languages install NAME...`: installs the
 * models of those names (Debian packages, src/engines/tesseract/install-models.ts); a running
 * service sees them within seconds, without a restart.
 */
import { DIGITS, REQUIRED_LANGUAGES, modelLanguageNames, tesseractCodeOf, tesseractPackageOf } from '../contract/languages.js';
import { installedLanguageNames } from '../engines/index.js';
import { installPackages, planModelInstall } from '../engines/tesseract/install-models.js';
import { takeOption, takePositional, UsageError } from './args.js';

export const LANGUAGES_USAGE = `usage:
  docr languages [--installed] [--json]   list the language names, their models and which are installed
  docr languages install NAME...          install the models of these names (apt-get, as root)`;

interface Row { name: string; model: string; package: string; installed: boolean; setup: boolean }

async function rows(): Promise<Row[]> {
  const installed = new Set(await installedLanguageNames());
  const model = (name: string) => tesseractCodeOf(name) ?? 'eng';
  return [...modelLanguageNames(), DIGITS].map((name) => ({
    name, model: name === DIGITS ? '(with eng)' : model(name), package: tesseractPackageOf(model(name)),
    installed: installed.has(name), setup: name === DIGITS || Object.hasOwn(REQUIRED_LANGUAGES, name),
  }));
}

async function list(args: string[], out: (line: string) => void): Promise<number> {
  const json = takeOption(args, 'json', { boolean: true }) === 'true';
  const onlyInstalled = takeOption(args, 'installed', { boolean: true }) === 'true';
  const all = (await rows()).filter((r) => !onlyInstalled || r.installed);
  if (json) { out(JSON.stringify(all)); return 0; }
  const width = Math.max(...all.map((r) => r.name.length));
  for (const r of all) out(`${r.name.padEnd(width)}  ${r.installed ? 'installed    ' : 'not installed'}  ${r.model}${r.setup ? '' : `  (${r.package})`}`);
  const missing = all.filter((r) => !r.installed).length;
  if (missing > 0) out(`\n${missing} not installed: \`docr languages install NAME...\` installs them.`);
  return 0;
}

async function install(names: string[], out: (line: string) => void): Promise<number> {
  if (names.length === 0) throw new UsageError(`name the languages to install\n\n${LANGUAGES_USAGE}`);
  const plan = await planModelInstall(names);
  if (plan.present.length > 0) out(`already installed: ${plan.present.join(', ')}`);
  if (plan.missing.length === 0) return 0;
  out(`installing ${plan.missing.join(', ')}: apt-get install ${plan.packages.join(' ')}`);
  await installPackages(plan.packages);
  const now = await planModelInstall(plan.missing, { fresh: true });
  if (now.missing.length > 0) throw new UsageError(`the packages installed but Tesseract does not list ${now.missing.join(', ')}; check TESSDATA_PREFIX`);
  out(`installed: ${plan.missing.join(', ')}`);
  return 0;
}

export async function runLanguagesCommand(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const args = [...argv];
  const sub = takePositional(args);
  if (sub === 'help' || args.includes('--help')) { out(LANGUAGES_USAGE); return 0; }
  if (sub === undefined || sub === 'list') return list(args, out);
  if (sub === 'install') return install(args.filter((a) => !a.startsWith('--')), out);
  throw new UsageError(`unknown languages command "${sub}"\n\n${LANGUAGES_USAGE}`);
}
