/**
 * Language set → engine. The registry's order is the preference: the first descriptor that
 * covers every requested name reads the page (PP-OCR for subsets of ChinesePRC, English,
 * Digits; Tesseract for the rest). Names outside the vocabulary, or with no installed model,
 * are rejected before any work, by name.
 */
import { AUTO, DEFAULT_LANGUAGES, DIGITS, MAX_LANGUAGES, caseCorrectedName, installCommandFor, isKnownLanguageName, modelLanguageNames, tesseractCodeOf } from '../contract/languages.js';
import { DocrError } from '../domain/errors.js';
import type { EngineDescriptor } from '../ports/ocr-engine.js';
import { installedTesseractCodes, installedTesseractCodesSnapshot } from './tesseract/installed.js';

const badLanguage = (message: string, value: unknown) => new DocrError('BAD_PARAMETER', message, { field: 'language', value });

/**
 * The API's `language` field: comma-separated case-sensitive names, 1..10, default
 * ChinesePRC,English,Digits. With `installed` (from `installedLanguageNames`, or a function
 * that answers it now, such as `installedLanguageNamesNow`), names without a model are
 * rejected too, with the command that installs them.
 */
export function validateLanguages(value: string | undefined, installed?: readonly string[] | (() => readonly string[])): string[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_LANGUAGES];
  const names = value.split(',').map((n) => n.trim());
  if (names.includes(AUTO)) {
    if (names.length > 1) throw badLanguage(`language "auto" detects the languages itself: send it alone, not with "${names.filter((n) => n !== AUTO).join(',')}".`, value);
    return [AUTO];
  }
  if (names.some((n) => n === '')) throw badLanguage(`language "${value}" has an empty name: separate names with single commas.`, value);
  const unique = [...new Set(names)];
  if (unique.length > MAX_LANGUAGES) throw badLanguage(`language names at most ${MAX_LANGUAGES}; got ${unique.length}.`, value);
  const unknown = unique.filter((n) => !isKnownLanguageName(n));
  if (unknown.length > 0) {
    const hints = unknown.map((n) => {
      const match = caseCorrectedName(n);
      return match ? `"${n}" (names are case-sensitive: "${match}")` : `"${n}"`;
    });
    throw badLanguage(`Unknown language name ${hints.join(', ')}: use names such as ChinesePRC, English, Digits, German (\`docr languages\` lists them all).`, unknown);
  }
  if (installed) {
    const have = new Set(typeof installed === 'function' ? installed() : installed);
    const missing = unique.filter((n) => !have.has(n));
    if (missing.length > 0) throw noModel(missing);
  }
  return unique;
}

function noModel(names: readonly string[]): DocrError {
  const models = names.filter((n) => n !== DIGITS);
  const how = models.length > 0 ? ` Install ${models.length > 1 ? 'them' : 'it'} on the server with \`${installCommandFor(models)}\`.` : '';
  return badLanguage(`No recognition model is installed for ${names.map((n) => `"${n}"`).join(', ')}.${how}`, names);
}

function namesFor(codes: ReadonlySet<string>): string[] {
  const names = modelLanguageNames().filter((n) => codes.has(tesseractCodeOf(n)!));
  return codes.has('eng') ? [...names, DIGITS] : names;
}

/** Every API name that can be read here (Digits included), from the installed Tesseract models. */
export async function installedLanguageNames(): Promise<string[]> {
  return namesFor(await installedTesseractCodes());
}

/**
 * The same, as installed at this moment (a model installed while the service runs counts);
 * call `installedLanguageNames` once first.
 */
export function installedLanguageNamesNow(): string[] {
  const codes = installedTesseractCodesSnapshot();
  if (!codes) throw new DocrError('INTERNAL', 'installedLanguageNamesNow was asked before the installed models were listed.');
  return namesFor(codes);
}

/** The descriptor that reads this language set; BAD_PARAMETER naming the names nobody covers. */
export function routeLanguages(languages: readonly string[], descriptors: readonly EngineDescriptor[]): EngineDescriptor {
  const unknown = languages.filter((n) => !isKnownLanguageName(n));
  if (unknown.length > 0) throw badLanguage(`Unknown language name ${unknown.map((n) => `"${n}"`).join(', ')}.`, unknown);
  if (languages.length === 0) throw badLanguage('At least one language name is needed.', languages);
  const chosen = descriptors.find((d) => d.covers(languages));
  if (chosen) return chosen;
  const uncovered = languages.filter((n) => !descriptors.some((d) => d.covers([n])));
  // Each name alone has a model but no single engine reads them all (not the case with Tesseract installed).
  if (uncovered.length === 0) throw badLanguage(`No single engine reads ${languages.join(', ')} together.`, languages);
  throw noModel(uncovered);
}
