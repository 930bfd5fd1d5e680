/**
 * The developers' corpus (../shared/corpus): its manifest, read once, and the mapping from
 * its BCP-47 language tags to the API's language names.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CORPUS } from '../../fixtures/corpus.js';


export const CORPUS_DIR = CORPUS;

export interface CorpusCase { password: string | null; expected: string }
export interface CorpusFile {
  id: string;
  path: string;
  kind: string;
  format: string;
  languages: string[];
  password: string | null;
  expected: string;
  cases?: CorpusCase[];
  gt_path?: string | null;
  gt?: { method: string; quality: string } | null;
  gt_contains?: string[] | null;
  tags?: string[];
}
export interface CorpusManifest { files: CorpusFile[]; expected_states: Record<string, number[]> }

export function loadManifest(): CorpusManifest {
  return JSON.parse(readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8')) as CorpusManifest;
}

const TAG_TO_NAME: Record<string, string> = {
  en: 'English', 'zh-Hans': 'ChinesePRC', 'zh-Hant': 'ChineseTaiwan', ja: 'Japanese', ko: 'Korean',
  de: 'German', 'de-Latf': 'German', fr: 'French', it: 'Italian', es: 'Spanish', pt: 'Portuguese',
  ru: 'Russian', el: 'Greek', nl: 'Dutch', 'sr-Cyrl': 'SerbianCyrillic', ar: 'Arabic', th: 'Thai',
};

/**
 * The `language` field a user would send for these tags, keeping only names the service
 * accepts (`accepted`); undefined (the API default) when the file has no tags.
 */
export function languageFieldFor(tags: readonly string[], accepted: (name: string) => boolean): string | undefined {
  if (tags.length === 0) return undefined;
  const names = tags.map((t) => TAG_TO_NAME[t]).filter((n): n is string => n !== undefined && accepted(n));
  const isChinese = tags.includes('zh-Hans');
  // Chinese documents carry English words and digits too: send what a user of the reference would.
  if (isChinese) return 'ChinesePRC,English,Digits';
  return names.length > 0 ? [...new Set(names)].join(',') : undefined;
}
