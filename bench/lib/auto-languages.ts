/**
 * language=auto on the corpus images (issue 15): the languages docr finds on each page, whether
 * they are in the file's script, and the CER of that reading beside the explicit languages'
 * (the accuracy section's rows, same txt path: layout analysis applied).
 */
import { accuracyEntries, cerOf, corpusFile, groupOf, type LanguageGroup } from './corpus.js';
import { mean, pct, table, type BenchSection, type SectionResult } from './section.js';
import type { AccuracyRow } from './accuracy.js';
import { readImageFile } from './image-input.js';
import { createRecognizer } from '../../src/engines/index.js';
import { analyseLayout } from '../../src/layout/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { toDocrError } from '../../src/domain/errors.js';

/** The script a BCP-47 tag of the manifest is written in, and that of each name docr reports. */
const TAG_SCRIPT: Record<string, string> = { 'zh-Hans': 'Han', 'zh-Hant': 'Han', ja: 'Japanese', ko: 'Hangul', ru: 'Cyrillic', 'sr-Cyrl': 'Cyrillic', el: 'Greek', ar: 'Arabic', th: 'Thai' };
const NAME_SCRIPT: Record<string, string> = { ChinesePRC: 'Han', ChineseTaiwan: 'Han', Japanese: 'Japanese', Korean: 'Hangul', Russian: 'Cyrillic', Greek: 'Greek', Arabic: 'Arabic', Thai: 'Thai', Hindi: 'Devanagari', Hebrew: 'Hebrew' };
const scriptOfTag = (t: string) => TAG_SCRIPT[t] ?? 'Latin';
const scriptOfName = (n: string) => NAME_SCRIPT[n] ?? 'Latin';

interface AutoRow { id: string; path: string; group: LanguageGroup; expected: string[]; detected: string[]; scriptOk: boolean; autoCer: number; explicitCer: number; error?: string }

export const autoLanguagesSection: BenchSection = {
  id: 'auto',
  title: 'language=auto on the corpus images',
  async run(ctx): Promise<SectionResult> {
    const entries = accuracyEntries();
    const explicit = new Map(((ctx.earlier.accuracy?.data as { rows?: AccuracyRow[] } | undefined)?.rows ?? []).map((r) => [r.id, r.docrCer]));
    const recognizer = createRecognizer({ workers: ctx.cores, queueLimit: entries.length + 1 });
    const rows: AutoRow[] = [];
    try {
      await Promise.all(entries.map(async (e) => {
        const expected = [...new Set(e.languages.map(scriptOfTag))];
        let text = '', detected: string[] = [], error: string | undefined;
        try {
          const image = await readImageFile(corpusFile(e.path));
          const page = await analyseLayout(await recognizer.recognize(image, { languages: ['auto'] }), image);
          detected = page.languages ?? [];
          text = renderTxt({ pages: [page], languages: detected });
        } catch (err) {
          error = `${toDocrError(err).code}: ${toDocrError(err).message}`;
        }
        // The right script: the first name found is in one of the file's scripts (its main one for single-script files).
        const found = detected.length ? scriptOfName(detected[0]) : 'none';
        rows.push({ id: e.id, path: e.path, group: groupOf(e), expected, detected, scriptOk: expected.includes(found), autoCer: cerOf(e, text), explicitCer: explicit.get(e.id) ?? NaN, error });
      }));
    } finally {
      await recognizer.close();
    }
    const order = new Map(entries.map((e, i) => [e.id, i]));
    rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const groups = (['en', 'zh-Hans', 'other'] as const).map((g) => {
      const rs = rows.filter((r) => r.group === g);
      return { group: g, images: rs.length, scriptsRight: rs.filter((r) => r.scriptOk).length, autoMeanCer: mean(rs.map((r) => r.autoCer)), explicitMeanCer: mean(rs.map((r) => r.explicitCer)) };
    });
    const markdown = [
      'Each image read with `language=auto` (the languages found per page, then read with them) beside the same image read with its explicit languages (the accuracy section). "script right": the first language found is in the file\'s script.',
      '',
      table(['group', 'images', 'script right', 'CER auto', 'CER explicit'], groups.map((g) => [g.group, g.images, `${g.scriptsRight}/${g.images}`, pct(g.autoMeanCer), pct(g.explicitMeanCer)])),
      '',
      table(['image', 'file scripts', 'found', 'script right', 'CER auto', 'CER explicit'],
        rows.map((r) => [r.path, r.expected.join('+'), r.error ? `error: ${r.error}` : r.detected.join(',') || '(none)', r.scriptOk ? 'yes' : 'no', pct(r.autoCer), pct(r.explicitCer)])),
    ].join('\n');
    return { data: { groups, rows }, markdown };
  },
};
