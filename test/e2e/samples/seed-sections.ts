/**
 * The vendor's samples page (test/data/seeds/001_*.txt) has four sections, each with one
 * sample per language: image_url + polling, image_url + callback, image_file + polling,
 * image_file + callback. A sample is cut out of its section between its own first line
 * and the first line of the sample after it, so that nothing of it is lost or added.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SEEDS } from '../../fixtures/corpus.js';

export const SAMPLES_SEED = '001_ebfefed5700b24f5.txt';

export type SectionName = 'url-polling' | 'url-callback' | 'file-polling' | 'file-callback';

/** Text unique to each section's curl sample, which opens the section. */
const SECTION_ANCHORS: Record<SectionName, string> = {
  'url-polling': "-F 'image_url=YOU_IMG_URL'\n-F 'format=txt'",
  'url-callback': "-F 'callback_url=YOUR_SERVER_URL' \\\n-F 'image_url=YOU_IMG_URL'",
  'file-polling': "curl -k 'https://techsz.aoscdn.com/api/tasks/visual/document/ocr/{task_id}'",
  'file-callback': "-F 'callback_url=YOUR_SERVER_URL' \\\n-F 'image_file=@/path/to/image.jpg'",
};

export const SECTIONS = Object.keys(SECTION_ANCHORS) as SectionName[];

export const isCallbackSection = (s: SectionName) => s.endsWith('-callback');
export const isUrlSection = (s: SectionName) => s.startsWith('url-');

function indexOnce(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0 || text.indexOf(needle, i + 1) >= 0) throw new Error(`not found exactly once in the seed: ${needle.slice(0, 60)}`);
  return i;
}

/**
 * The sample of `section` that begins with `start`, up to (not including) the nearest of
 * the `until` markers after it (the next sample's first line).
 */
export function sectionSample(section: SectionName, start: string, until: readonly string[]): string {
  const text = fs.readFileSync(path.join(SEEDS, SAMPLES_SEED), 'utf8');
  const from = indexOnce(text, SECTION_ANCHORS[section]);
  const i = text.indexOf(start, from);
  if (i < 0) throw new Error(`${section}: no sample starting with ${start.slice(0, 40)}`);
  const ends = until.map((u) => text.indexOf(u, i + start.length)).filter((j) => j >= 0);
  if (ends.length === 0) throw new Error(`${section}: no end marker after ${start.slice(0, 40)}`);
  return text.slice(i, Math.min(...ends));
}
