/**
 * Language set → engine. The registry's order is the preference: the first descriptor that
 * covers every requested name reads the page (PP-OCR for subsets of ChinesePRC, English,
 * Digits; Tesseract for the rest). Names outside the vocabulary, or with no installed model,
 * are rejected before any work, by name.
 */
import { DEFAULT_LANGUAGES, DIGITS, FURTHER_LANGUAGES, MAX_LANGUAGES, REQUIRED_LANGUAGES, isKnownLanguageName, tesseractCodeOf } from '../contract/languages.js';
import { DocrError } from '../domain/errors.js';
import type { EngineDescriptor } from '../ports/ocr-engine.js';
import { installedTesseractCodes } from './tesseract/installed.js';

const badLanguage = (message: string, value: unknown) => new DocrError('BAD_PARAMETER', message, { field: 'language', value });

/**
 * The API's `language` field: comma-separated case-sensitive names, 1..10, default
 * ChinesePRC,English,Digits. With `installed` (from `installedLanguageNames`), names
 * without a model are rejected too.
 */
export function validateLanguages(value: string | undefined, installed?: readonly string[]): string[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_LANGUAGES];
  const names = value.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) throw badLanguage(`language "${value}" has an empty name: separate names with single commas.`, value);
  const unique = [...new Set(names)];
  if (unique.length > MAX_LANGUAGES) throw badLanguage(`language names at most ${MAX_LANGUAGES}; got ${unique.length}.`, value);
  const unknown = unique.filter((n) => !isKnownLanguageName(n));
  if (unknown.length > 0) {
    const hints = unknown.map((n) => {
      const match = Object.keys({ ...REQUIRED_LANGUAGES, ...FURTHER_LANGUAGES, [DIGITS]: '' }).find((k) => k.toLowerCase() === n.toLowerCase());
      return match ? `"${n}" (names are case-sensitive: "${match}")` : `"${n}"`;
    });
    throw badLanguage(`Unknown language name ${hints.join(', ')}: use names such as ChinesePRC, English, Digits, German.`, unknown);
  }
  if (installed) {
    const have = new Set(installed);
    const missing = unique.filter((n) => !have.has(n));
    if (missing.length > 0) throw noModel(missing);
  }
  return unique;
}

function noModel(names: readonly string[]): DocrError {
  return badLanguage(`No recognition model is installed for ${names.map((n) => `"${n}"`).join(', ')}.`, names);
}

/** Every API name that can be read here (Digits included), from the installed Tesseract models. */
export async function installedLanguageNames(): Promise<string[]> {
  const codes = await installedTesseractCodes();
  const all = Object.keys({ ...REQUIRED_LANGUAGES, ...FURTHER_LANGUAGES });
  return [...all.filter((n) => codes.has(tesseractCodeOf(n)!)), DIGITS];
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
