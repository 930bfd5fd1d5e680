/**
 * The engine policy (issue 11): after detection, which engine reads this page. Tesseract reads
 * clean, upright, dense Latin print as well as PP-OCR; everything else (receipts, photos,
 * screenshots, rotated pages, Chinese, sparse lines) stays with PP-OCR. The thresholds were set
 * from bench/engine-policy.ts on the corpus (docs/benchmark.md): every page they admit was read
 * by Tesseract no worse than by PP-OCR.
 *
 * Mode (DOCR_ENGINE_POLICY): `auto` (default) applies the rule where Tesseract is the cheaper
 * engine for such pages, i.e. where PP-OCR's recogniser has no int8 dot products (CPUs without
 * VNNI: with AVX-512 and VNNI hidden, bench/avx2-only, PP-OCR's int8 recogniser took 3.65 s CPU a
 * dense page against Tesseract's 2.6 s; issue 11 measured the float one at 5.7-8.5 s against
 * 3.9-4.4 s on an EPYC); with VNNI PP-OCR reads those pages for less CPU than Tesseract, so it
 * keeps them.
 * `on` applies the rule on any CPU, `off` never routes, `always` sends every Latin-only page
 * to Tesseract (for measuring the rule, not for use).
 */
import { DocrError } from '../../domain/errors.js';
import type { PageFeatures } from './page-features.js';

export type PolicyMode = 'auto' | 'on' | 'off' | 'always';

export interface EngineDecision {
  engine: 'ppocr' | 'tesseract';
  /** Why, in words (logged per page and carried in format=json). */
  reason: string;
}

/** Languages Tesseract's English model reads as well as PP-OCR does: the page must need nothing else. */
const LATIN_ONLY: ReadonlySet<string> = new Set(['English', 'Digits']);

/** The rule's thresholds (bench/engine-policy.ts). */
export const RULE = {
  /** Dense: at least this many lines. */
  minLines: 15,
  /** Upright: the long lines tilted at most this much (90th percentile, degrees). */
  maxTiltDeg: 1,
  /** Regular line heights: this share of lines within ±30 % of the median height. */
  minRegularHeights: 0.8,
  /** Print large enough at its resolution: median line box height in pixels (receipt photos: 22). */
  minLineHeight: 30,
  /** Strong contrast: paper − ink, grey levels. */
  minContrast: 150,
  /** Dark print on light paper (Tesseract here runs without its inverted-text pass). */
  minPaper: 180,
  /** Few columns: the median line spans at least this share of the text's width (the linn scan, partly in two columns: 46 %; the UNLV magazine page: 26 %, where Tesseract's column order cost 1.1 CER points). */
  minLineSpan: 0.4,
  /** Even paper: spread of the paper level across lines. */
  maxPaperSpread: 25,
  /** Grey print, not a colour photo. */
  maxColour: 20,
} as const;

export function policyModeFromEnv(env: NodeJS.ProcessEnv = process.env): PolicyMode {
  const v = env.DOCR_ENGINE_POLICY?.trim().toLowerCase();
  if (!v) return 'auto';
  if (v === 'auto' || v === 'on' || v === 'off' || v === 'always') return v;
  throw new DocrError('ENGINE_FAILED', `DOCR_ENGINE_POLICY must be auto, on, off or always, not "${v}".`);
}

/** The first rule a page fails, or undefined when it is clean, upright, dense print. */
function unlike(f: PageFeatures): string | undefined {
  if (f.lines < RULE.minLines) return `${f.lines} lines (fewer than ${RULE.minLines})`;
  if (f.tiltDeg > RULE.maxTiltDeg) return `lines tilted ${f.tiltDeg.toFixed(1)}°`;
  if (f.regularHeights < RULE.minRegularHeights) return `irregular line heights (${Math.round(f.regularHeights * 100)} % regular)`;
  if (f.medianLineHeight < RULE.minLineHeight) return `small print (${Math.round(f.medianLineHeight)} px lines)`;
  if (f.paper < RULE.minPaper) return `dark ground (paper ${Math.round(f.paper)})`;
  if (f.contrast < RULE.minContrast) return `weak contrast (${Math.round(f.contrast)})`;
  if (f.lineSpan < RULE.minLineSpan) return `columns (lines span ${Math.round(f.lineSpan * 100)} % of the text width)`;
  if (f.paperSpread > RULE.maxPaperSpread) return `uneven paper (${Math.round(f.paperSpread)})`;
  if (f.colour > RULE.maxColour) return `colour (${Math.round(f.colour)})`;
  return undefined;
}

export function decideEngine(opts: { mode: PolicyMode; int8Vnni: boolean; languages: readonly string[]; rotation: number; features: PageFeatures }): EngineDecision {
  const { mode, features } = opts;
  if (mode === 'off') return { engine: 'ppocr', reason: 'policy off' };
  if (mode === 'auto' && opts.int8Vnni) return { engine: 'ppocr', reason: 'int8 recogniser with VNNI: PP-OCR is the cheaper engine on this CPU' };
  if (!opts.languages.includes('English') || !opts.languages.every((l) => LATIN_ONLY.has(l))) {
    return { engine: 'ppocr', reason: `languages ${opts.languages.join(',')} need PP-OCR` };
  }
  if (mode === 'always') return { engine: 'tesseract', reason: 'policy always' };
  if (opts.rotation !== 0) return { engine: 'ppocr', reason: `page turned ${opts.rotation}°` };
  const why = unlike(features);
  return why ? { engine: 'ppocr', reason: why } : { engine: 'tesseract', reason: 'clean, upright, dense Latin print' };
}
