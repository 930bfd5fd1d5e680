/**
 * The create request's fields (SPEC §1.2) as zod schemas: one description of each rule, from
 * which the server validates, the OpenAPI document is written (the patterns and enums below
 * are what the document shows), and the SDK and the web page take their types and choices.
 * Each rule is a pattern or an enum the document can carry; the error functions only explain
 * a failed rule in words ("port 8080 is not allowed"), they never add one.
 */
import { z } from 'zod';
import { DEFAULT_FORMAT, EXTRA_OUTPUT_FORMATS, OUTPUT_FORMATS } from './formats.js';
import { parsePageRanges } from './page-ranges.js';
import { AUTO, DEFAULT_LANGUAGES, DIGITS, MAX_LANGUAGES, caseCorrectedName, modelLanguageNames } from './languages.js';

export const MAX_PASSWORD_LENGTH = 32;
/** Echoed values are cut to this many characters: an answer never repeats a huge field. */
export const MAX_ECHO = 40;

/** A value as an error message quotes it: JSON-quoted, cut to MAX_ECHO characters. */
export function quoted(value: unknown): string {
  const s = String(value);
  const chars = [...s];
  return JSON.stringify(chars.length > MAX_ECHO ? `${chars.slice(0, MAX_ECHO).join('')}…` : s);
}

/** Every language name of SPEC §4, in the reference's spelling (case-sensitive). */
export const LANGUAGE_NAMES: readonly string[] = [...modelLanguageNames(), DIGITS];

const NAME = `(?:${[...LANGUAGE_NAMES].sort((a, b) => b.length - a.length).join('|')})`;
/** 1..MAX_LANGUAGES known names, comma-separated; duplicates count (English twice is two names). Or `auto` alone (SPEC §7). */
export const LANGUAGE_LIST_PATTERN = `^\\s*(?:${AUTO}|${NAME}\\s*(?:,\\s*${NAME}\\s*){0,${MAX_LANGUAGES - 1}})\\s*$`;

// URLs: http(s), an optional user, a host, a port, then only printable characters and
// well-formed %XX escapes (SPEC §1.2 "properly encoded").
const URL_HEAD = '^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\\s/?#@\\[\\]]*@)?(?:\\[[0-9A-Fa-f:.]+\\]|[^\\s/?#:@\\[\\]%]+)';
const URL_TAIL = '(?:[/?#](?:[^\\s%\\u0000-\\u001f\\u007f]|%[0-9A-Fa-f]{2})*)?$';
export const IMAGE_URL_PATTERN = `${URL_HEAD}(?::(?:80|443))?${URL_TAIL}`;
export const CALLBACK_URL_PATTERN = `${URL_HEAD}(?::[0-9]{1,5})?${URL_TAIL}`;
/** Page numbers and ranges from 1 ("1-3,5"); a range's end is not before its start. */
export const PAGES_PATTERN = '^\\s*[0-9]+\\s*(?:-\\s*[0-9]+\\s*)?(?:,\\s*[0-9]+\\s*(?:-\\s*[0-9]+\\s*)?)*$';

export const SYNC_VALUES = ['0', '1', 'true', 'false'] as const;
export const FORMATS = [...OUTPUT_FORMATS, ...EXTRA_OUTPUT_FORMATS] as const;

/** Why a URL failed its pattern, in words (the pattern alone decides that it failed). */
function urlProblem(name: string, value: string, ports?: readonly string[]): string {
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return `${name}: not a properly encoded URL (encode spaces and control characters)`;
  const badEscape = /%(?![0-9A-Fa-f]{2})/.exec(value);
  if (badEscape) return `${name}: malformed percent-encoding ${quoted(value.slice(badEscape.index, badEscape.index + 3))} in the URL; write a literal % as %25`;
  let url: URL;
  try { url = new URL(value); } catch { return `${name}: not a valid URL: ${quoted(value)}`; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${name}: only http and https URLs are accepted`;
  if (!url.hostname) return `${name}: the URL has no host`;
  const port = /^[^:]+:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):([^/?#]*)/.exec(value)?.[1];
  if (ports && port !== undefined && !ports.includes(port)) return `${name}: port ${/^\d{1,5}$/.test(port) ? port : quoted(port)} is not allowed; use port 80 or 443`;
  return `${name}: not a valid URL: ${quoted(value)}`;
}

/** A URL rule: the pattern (in the document), then the WHATWG parser (its href is what is kept). */
function urlField(name: string, pattern: string, ports: readonly string[] | undefined, description: string) {
  return z.string({ error: (iss) => typeMessage(name, iss.input) })
    .regex(new RegExp(pattern), { error: (iss) => urlProblem(name, String(iss.input), ports) })
    .refine((v) => URL.canParse(v), { error: (iss) => urlProblem(name, String(iss.input), ports) })
    .transform((v) => new URL(v).href)
    .meta({ description, format: 'uri' });
}

/** Why a language list failed its pattern, in words. */
export function languageProblem(value: string): string {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) return 'language: empty name in the comma-separated list';
  if (names.includes(AUTO)) return 'language: "auto" detects the languages itself; send it alone';
  if (names.length > MAX_LANGUAGES) return `language: at most ${MAX_LANGUAGES} names, got ${names.length} (a repeated name counts each time)`;
  const known = new Set(LANGUAGE_NAMES);
  const unknown = names.find((n) => !known.has(n));
  if (unknown !== undefined) {
    const match = caseCorrectedName(unknown);
    return match
      ? `language: unknown language name ${quoted(unknown)} (names are case-sensitive: "${match}")`
      : `language: unknown language name ${quoted(unknown)} (names are case-sensitive, e.g. English,ChinesePRC,Digits; \`docr languages\` lists them all)`;
  }
  return `language: not a comma-separated list of language names: ${quoted(value)}`;
}

/** The message for a value of the wrong JSON type (an array, a number, an object). */
export function typeMessage(name: string, input: unknown): string {
  const got = Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input === 'object' ? 'an object' : `a ${typeof input}`;
  const hint = name === 'language' ? '; several languages go in one comma-separated string, such as "English,French"' : '';
  return `${name}: must be a string, got ${got}${hint}`;
}

const pagesProblem = (iss: { input?: unknown }) =>
  `pages: ${quoted(iss.input)} is not a page list; use page numbers and ranges from 1, such as 1-3,5`;

const text = (name: string) => z.string({ error: (iss) => typeMessage(name, iss.input) });

/** The fields every create body carries (multipart, urlencoded or JSON), each optional. */
export const fieldSchemas = {
  image_url: urlField('image_url', IMAGE_URL_PATTERN, ['80', '443'],
    'The document to read, by URL: http or https, port 80 or 443, properly percent-encoded. Exactly one of image_url and image_file.'),
  language: text('language')
    .regex(new RegExp(LANGUAGE_LIST_PATTERN), { error: (iss) => languageProblem(String(iss.input)) })
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim()))])
    .meta({
      description: `Comma-separated, case-sensitive language names, 1 to ${MAX_LANGUAGES} (a repeated name counts each time; duplicates are then dropped). Default ${DEFAULT_LANGUAGES.join(',')}. Digits alone reads digits only. A name whose model is not installed on the server is a 400 that says how to install it. docr extra: auto, alone, detects the languages of each page (reported as languages_detected).`,
      examples: ['English', 'ChinesePRC,English,Digits'],
    }),
  password: text('password')
    .refine((v) => [...v].length <= MAX_PASSWORD_LENGTH, { error: `password: at most ${MAX_PASSWORD_LENGTH} characters` })
    .meta({ maxLength: MAX_PASSWORD_LENGTH, description: 'Opens a password-protected PDF or Office file.' }),
  format: z.enum(FORMATS, { error: (iss) => `format: ${quoted(iss.input)} is not supported; use one of ${FORMATS.join(', ')}` })
    .meta({ default: DEFAULT_FORMAT, description: `Result format. ${OUTPUT_FORMATS.join(', ')} are the reference's; ${EXTRA_OUTPUT_FORMATS.join(' and ')} are docr's extras (word boxes, hOCR).` }),
  sync: z.enum(SYNC_VALUES, { error: (iss) => `sync: must be 0 or 1, got ${quoted(iss.input)}` })
    .meta({ default: '0', description: '1: hold the request until the task ends (or the sync wait limit passes) and answer the query body. true and false are read as 1 and 0.' }),
  callback_url: urlField('callback_url', CALLBACK_URL_PATTERN, undefined,
    'http or https URL (any port) that receives the query body, signed per Standard Webhooks, when the task ends. Its address must be public.'),
  pages: text('pages')
    .regex(new RegExp(PAGES_PATTERN), { error: pagesProblem })
    .refine((v) => parsePageRanges(v) !== undefined, { error: pagesProblem })
    .transform((v) => v.replace(/\s+/g, ''))
    .meta({ description: 'docr extra: the pages to read, page numbers and ranges from 1 such as 1-3,5 (a range does not end before it starts). Default: every page.', examples: ['1-3,5'] }),
} as const;

/** In JSON bodies sync may also be a number or a boolean. */
export const jsonSync = z.union([fieldSchemas.sync, z.literal(0), z.literal(1), z.boolean()], {
  error: (iss) => `sync: must be 0 or 1, got ${quoted(typeof iss.input === 'object' ? JSON.stringify(iss.input) : iss.input)}`,
}).transform((v) => String(v) as (typeof SYNC_VALUES)[number]).meta({ default: 0, description: fieldSchemas.sync.description });
