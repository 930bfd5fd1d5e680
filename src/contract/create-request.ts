/**
 * The create request's fields (SPEC §1.2) and their rules. Pure: the HTTP layer collects
 * the raw fields (from multipart, urlencoded or JSON) and hands them here; every rule that
 * fails throws a BadRequest naming the field. Unknown fields are ignored.
 */
import { parsePageRanges } from './page-ranges.js';
import { DEFAULT_FORMAT, EXTRA_OUTPUT_FORMATS, OUTPUT_FORMATS, isOutputFormat, type OutputFormat } from './formats.js';
import { DEFAULT_LANGUAGES, MAX_LANGUAGES, isKnownLanguageName } from './languages.js';

export const MAX_PASSWORD_LENGTH = 32;
export const CREATE_FIELDS = ['image_url', 'image_file', 'language', 'password', 'format', 'sync', 'callback_url'] as const;

/** A rejected field. Carries the field's name so that callers map it to their own error type. */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'FieldError';
  }
}

export interface CreateRequest {
  imageUrl?: string;
  /** True when a non-empty image_file part was uploaded. */
  hasFile: boolean;
  languages: string[];
  password?: string;
  format: OutputFormat;
  sync: boolean;
  callbackUrl?: string;
  /** beyond: the pages to read, "1-3,5" (page-ranges.ts); undefined reads every page. */
  pages?: string;
}

export type RawFieldValue = string | number | boolean | null | undefined | readonly unknown[];

/** Checks a language field's names against the vocabulary of SPEC §4. Returns the names in order, duplicates dropped. */
export function parseLanguageField(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new FieldError('language', 'language: empty name in the comma-separated list');
  const unique = [...new Set(names)];
  if (unique.length > MAX_LANGUAGES) {
    throw new FieldError('language', `language: at most ${MAX_LANGUAGES} languages, got ${unique.length}`);
  }
  const unknown = unique.filter((n) => !isKnownLanguageName(n));
  if (unknown.length > 0) {
    throw new FieldError('language', `language: unknown language name "${unknown[0]}" (names are case-sensitive, e.g. English,ChinesePRC,Digits)`);
  }
  return unique;
}

function text(fields: Record<string, RawFieldValue>, name: string): string | undefined {
  const v = fields[name];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) throw new FieldError(name, `${name}: given more than once`);
  if (typeof v === 'object') throw new FieldError(name, `${name}: must be a string`);
  const s = String(v);
  return s === '' ? undefined : s;
}

function httpUrl(name: string, value: string): URL {
  if (/[\s\u0000-\u001f\u007f]/.test(value)) throw new FieldError(name, `${name}: not a properly encoded URL (encode spaces and control characters)`);
  let url: URL;
  try { url = new URL(value); } catch { throw new FieldError(name, `${name}: not a valid URL`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FieldError(name, `${name}: only http and https URLs are accepted`);
  if (!url.hostname) throw new FieldError(name, `${name}: the URL has no host`);
  return url;
}

/**
 * Validates the raw fields. `validateLanguages` replaces the vocabulary check (the engine
 * router knows which models are installed); it throws FieldError-like errors or returns names.
 */
export function parseCreateRequest(
  fields: Record<string, RawFieldValue>,
  hasFile: boolean,
  validateLanguages: (value: string) => string[] = parseLanguageField,
): CreateRequest {
  const imageUrlRaw = text(fields, 'image_url');
  if (imageUrlRaw !== undefined && hasFile) {
    throw new FieldError('image_url', 'image_url and image_file: use exactly one of them, not both');
  }
  if (imageUrlRaw === undefined && !hasFile) {
    throw new FieldError('image_file', 'image_url or image_file is required (exactly one of them, not empty)');
  }
  let imageUrl: string | undefined;
  if (imageUrlRaw !== undefined) {
    const url = httpUrl('image_url', imageUrlRaw);
    if (url.port !== '' && url.port !== '80' && url.port !== '443') {
      throw new FieldError('image_url', `image_url: port ${url.port} is not allowed; use port 80 or 443`);
    }
    imageUrl = url.href;
  }

  const languageRaw = text(fields, 'language');
  const languages = languageRaw === undefined ? [...DEFAULT_LANGUAGES] : validateLanguages(languageRaw);

  const password = fields.password === undefined || fields.password === null ? undefined : text(fields, 'password');
  if (password !== undefined && [...password].length > MAX_PASSWORD_LENGTH) {
    throw new FieldError('password', `password: at most ${MAX_PASSWORD_LENGTH} characters`);
  }

  const formatRaw = text(fields, 'format');
  if (formatRaw !== undefined && !isOutputFormat(formatRaw)) {
    throw new FieldError('format', `format: "${formatRaw}" is not supported; use one of ${[...OUTPUT_FORMATS, ...EXTRA_OUTPUT_FORMATS].join(', ')}`);
  }
  const format = (formatRaw ?? DEFAULT_FORMAT) as OutputFormat;

  const syncRaw = text(fields, 'sync');
  const syncValue = syncRaw === 'true' ? '1' : syncRaw === 'false' ? '0' : syncRaw;
  if (syncValue !== undefined && syncValue !== '0' && syncValue !== '1') {
    throw new FieldError('sync', `sync: must be 0 or 1, got "${syncRaw}"`);
  }

  const callbackRaw = text(fields, 'callback_url');
  const callbackUrl = callbackRaw === undefined ? undefined : httpUrl('callback_url', callbackRaw).href;

  const pagesRaw = text(fields, 'pages');
  if (pagesRaw !== undefined && parsePageRanges(pagesRaw) === undefined) {
    throw new FieldError('pages', `pages: "${pagesRaw}" is not a page list; use page numbers and ranges from 1, such as 1-3,5`);
  }
  const pages = pagesRaw?.replace(/\s+/g, '');

  return { imageUrl, hasFile, languages, password, format, sync: syncValue === '1', callbackUrl, pages };
}
