/**
 * The developers' corpus (test/data/corpus, a copy of ../shared/corpus) as the end-to-end test needs it: the whole
 * manifest (files with their expected outcomes and password cases, and `expected_states`).
 * Paths and the tag → language-name mapping are the benchmark's (bench/lib/corpus.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CORPUS, type ManifestEntry } from '../../../bench/lib/corpus.js';

export const CORPUS_DIR = CORPUS;

export interface CorpusCase { password: string | null; expected: string }
export interface CorpusFile extends ManifestEntry {
  password: string | null;
  expected: string;
  cases?: CorpusCase[];
  gt_contains?: string[] | null;
}
export interface CorpusManifest { files: CorpusFile[]; expected_states: Record<string, number[]> }

export function loadManifest(): CorpusManifest {
  return JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as CorpusManifest;
}
