/**
 * Accuracy: every corpus image with ground truth, read by docr (createRecognizer, routed as
 * the API would route the file's languages, then layout analysis and txt as the API returns
 * them) and by native Tesseract (MEASURING.md's peer),
 * CER per image and mean per language group, with each row's ground-truth quality.
 */
import { accuracyEntries, apiLanguagesFor, cerOf, corpusFile, groupOf, tesseractCodesFor, type LanguageGroup } from './corpus.js';
import { mapConcurrent, runNativeTesseract } from './tesseract-cli.js';
import { mean, pct, ratio, table, type BenchContext, type BenchSection, type SectionResult } from './section.js';
import { createRecognizer, installedLanguageNames } from '../../src/engines/index.js';
import { readImageFile } from './image-input.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { analyseLayout } from '../../src/layout/index.js';
import { toDocrError } from '../../src/domain/errors.js';

export interface AccuracyRow {
  id: string;
  path: string;
  group: LanguageGroup;
  quality: string;
  tags: string[];
  languages: string[];
  substituted: string[];
  engine: string;
  docrCer: number;
  tesseractCer: number;
  tesseractCodes: string;
  docrMs: number;
  tesseractMs: number;
  error?: string;
}

export interface GroupSummary {
  group: LanguageGroup | 'all';
  images: number;
  docrMeanCer: number;
  tesseractMeanCer: number;
  /** docr / Tesseract: below 1 is better. */
  ratio: number;
  qualities: string[];
}

const GROUPS: LanguageGroup[] = ['en', 'zh-Hans', 'other'];
const EXACT = (q: string) => q.startsWith('exact');

function summarise(rows: AccuracyRow[], group: LanguageGroup | 'all'): GroupSummary {
  const d = mean(rows.map((r) => r.docrCer)), t = mean(rows.map((r) => r.tesseractCer));
  return { group, images: rows.length, docrMeanCer: d, tesseractMeanCer: t, ratio: d / t, qualities: [...new Set(rows.map((r) => r.quality))].sort() };
}

async function readAll(ctx: BenchContext): Promise<AccuracyRow[]> {
  const installed = await installedLanguageNames();
  const entries = accuracyEntries();
  const recognizer = createRecognizer({ workers: ctx.cores, queueLimit: entries.length + 1 });
  const rows: AccuracyRow[] = [];
  try {
    // docr: every image submitted at once, as a client would; the pool bounds the work.
    await Promise.all(entries.map(async (e) => {
      const { names, substituted } = apiLanguagesFor(e, installed);
      const t0 = performance.now();
      let text = '', error: string | undefined, engine = '';
      try {
        engine = recognizer.route(names);
        const image = await readImageFile(corpusFile(e.path));
        // The text the API's format=txt returns: the page after layout analysis, as the pipeline does it.
        const page = await analyseLayout(await recognizer.recognize(image, { languages: names }), image);
        text = renderTxt({ pages: [page], languages: names });
      } catch (err) {
        error = `${toDocrError(err).code}: ${toDocrError(err).message}`;
      }
      rows.push({
        id: e.id, path: e.path, group: groupOf(e), quality: e.gt?.quality ?? 'unknown', tags: e.tags, languages: names, substituted, engine,
        docrCer: cerOf(e, text), docrMs: performance.now() - t0, tesseractCer: NaN, tesseractCodes: tesseractCodesFor(names), tesseractMs: NaN, error,
      });
    }));
  } finally {
    await recognizer.close();
  }
  ctx.log(`accuracy: docr read ${rows.length} images`);
  await mapConcurrent(rows, ctx.cores, async (row) => {
    const e = entries.find((x) => x.id === row.id)!;
    const t = await runNativeTesseract(corpusFile(e.path), row.tesseractCodes);
    row.tesseractCer = cerOf(e, t.text);
    row.tesseractMs = t.ms;
  });
  ctx.log('accuracy: tesseract done');
  const order = new Map(entries.map((e, i) => [e.id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

function markdown(rows: AccuracyRow[], groups: GroupSummary[], exactGroups: GroupSummary[]): string {
  const groupRows = (gs: GroupSummary[]) => gs.map((g) => [g.group, g.images, pct(g.docrMeanCer), pct(g.tesseractMeanCer), ratio(g.docrMeanCer, g.tesseractMeanCer), g.qualities.join(', ')]);
  return [
    'Character error rate per MEASURING.md (NFKC; whitespace collapsed for Latin scripts, removed for CJK; capped at 1 per image; files whose manifest entry says `gt_case: "upper"`, the SROIE receipts, compared upper-cased). docr routes each file\'s languages as the API would (zh-Hans files: ChinesePRC,English,Digits → PP-OCR; en: English → PP-OCR; others → Tesseract) and is scored on the text format=txt returns (layout analysis applied, as in the pipeline); the peer is native Tesseract with --psm 3, one thread, only the needed models. Ratio = docr / Tesseract (lower is better).',
    '',
    '**Mean CER per group, every ground-truth quality**',
    '',
    table(['group', 'images', 'docr', 'Tesseract', 'ratio', 'qualities included'], groupRows(groups)),
    '',
    '**Mean CER per group, human-exact ground truth only (exact, exact-line, exact-segments)**',
    '',
    table(['group', 'images', 'docr', 'Tesseract', 'ratio', 'qualities included'], groupRows(exactGroups)),
    '',
    '**Per image**',
    '',
    table(['image', 'group', 'gt quality', 'languages', 'engine', 'docr CER', 'Tesseract CER', 'docr ms', 'Tesseract ms'],
      rows.map((r) => [r.path, r.group, r.quality, r.languages.join(',') + (r.substituted.length ? ` (${r.substituted.join(', ')})` : ''), r.error ? `error: ${r.error}` : r.engine,
        pct(r.docrCer), pct(r.tesseractCer), Math.round(r.docrMs), Math.round(r.tesseractMs)])),
    '',
    'docr ms is the time from submission to result with every image submitted at once (queueing included); Tesseract ms is one process per image, two at a time.',
  ].join('\n');
}

export const accuracySection: BenchSection = {
  id: 'accuracy',
  title: 'Accuracy on the corpus images',
  async run(ctx): Promise<SectionResult> {
    const rows = await readAll(ctx);
    const by = (rs: AccuracyRow[]) => [...GROUPS.map((g) => summarise(rs.filter((r) => r.group === g), g)), summarise(rs, 'all')];
    const groups = by(rows);
    const exactGroups = by(rows.filter((r) => EXACT(r.quality)));
    return { data: { groups, exactGroups, rows }, markdown: markdown(rows, groups, exactGroups) };
  },
};
