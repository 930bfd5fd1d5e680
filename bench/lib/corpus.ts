/**
 * The shared corpus as the benchmark sees it: manifest entries, ground truth, language
 * groups, and the manifest's BCP-47 tags mapped to the API's names (LANGUAGES.md) and to
 * Tesseract codes for the native peer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tesseractCodeOf } from '../../src/contract/languages.js';
import { cer } from './cer.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The corpus copy kept in the repository (scripts/refresh-test-data.sh refreshes it from ../shared). */
export const CORPUS = path.join(REPO, 'test/data/corpus');

export interface ManifestEntry {
  id: string;
  path: string;
  kind: string;
  format: string;
  languages: string[];
  tags: string[];
  gt_path?: string | null;
  gt?: { quality: string };
  /** "upper": the truth is upper-cased although the image is not (MEASURING.md: compare both upper-cased). */
  gt_case?: string;
}

export type LanguageGroup = 'en' | 'zh-Hans' | 'other';

export function readManifest(): ManifestEntry[] {
  return (JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as { files: ManifestEntry[] }).files;
}

export const corpusFile = (rel: string) => path.join(CORPUS, rel);
export const groundTruthOf = (e: ManifestEntry) => readFileSync(corpusFile(e.gt_path!), 'utf8');

/** CER of a text read from this entry against its ground truth, as MEASURING.md scores it (`gt_case` honoured). */
export function cerOf(e: ManifestEntry, text: string): number {
  return cer(text, groundTruthOf(e), undefined, { upperCase: e.gt_case === 'upper' });
}

export function groupOf(e: ManifestEntry): LanguageGroup {
  if (e.languages.length === 1 && e.languages[0] === 'en') return 'en';
  if (e.languages.includes('zh-Hans')) return 'zh-Hans';
  return 'other';
}

/** BCP-47 tag → API names, best first (the first with an installed model is used). */
const TAG_NAMES: Record<string, string[]> = {
  en: ['English'], 'zh-Hans': ['ChinesePRC'], 'zh-Hant': ['ChineseTaiwan'], ja: ['Japanese'], ko: ['Korean'],
  de: ['German'], 'de-Latf': ['German'], fr: ['French'], it: ['Italian'], es: ['Spanish'], pt: ['Portuguese'],
  ru: ['Russian'], 'sr-Cyrl': ['SerbianCyrillic', 'Russian'], el: ['Greek'], nl: ['Dutch'], ar: ['Arabic'], th: ['Thai'],
};

/**
 * The language names a client would send for this file: zh-Hans files get the API's default
 * set (ChinesePRC,English,Digits); others their mapped names. `installed` lists the names
 * with a model here (a tag whose first name has none falls back to the next, e.g.
 * Serbian Cyrillic → Russian, and the substitution is reported).
 */
export function apiLanguagesFor(e: ManifestEntry, installed: readonly string[]): { names: string[]; substituted: string[] } {
  if (e.languages.includes('zh-Hans')) return { names: ['ChinesePRC', 'English', 'Digits'], substituted: [] };
  const names: string[] = [];
  const substituted: string[] = [];
  for (const tag of e.languages) {
    const options = TAG_NAMES[tag] ?? [];
    const pick = options.find((n) => installed.includes(n));
    if (!pick) continue;
    if (pick !== options[0]) substituted.push(`${options[0]}→${pick}`);
    if (!names.includes(pick)) names.push(pick);
  }
  return { names: names.length > 0 ? names : ['English'], substituted };
}

/** Tesseract codes for the native peer: only the needed models (zh-Hans files: chi_sim+eng). */
export function tesseractCodesFor(names: readonly string[]): string {
  const codes = [...new Set(names.map(tesseractCodeOf).filter((c): c is string => c !== undefined))];
  return (codes.length > 0 ? codes : ['eng']).join('+');
}

/** Images with ground truth that recognition reads directly (png/jpg); other formats are the input-format rows' business. */
export function accuracyEntries(): ManifestEntry[] {
  return readManifest().filter((e) => e.gt_path && ['png', 'jpg', 'jpeg'].includes(e.format) && e.languages.length > 0 && !e.kind.startsWith('pdf') && !e.kind.startsWith('office'));
}
