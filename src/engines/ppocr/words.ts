/**
 * From one recognised crop to text and word boxes. CTC emits each character at a few time
 * steps; a character's extent is taken to reach halfway to its neighbours, so word boxes
 * follow the glyphs closely without a second model. Chinese characters are words of their own.
 */
import type { Point } from './geometry.js';
import { pointAt } from './geometry.js';
import type { LineRead } from './recognise.js';
import type { DecodedChar } from './ctc.js';
import { gapTypeSize, typeSetting } from './gaps.js';
import { correctLookAlikes, fusedDateTimeBreaks } from './confusions.js';

const CJK_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u;

export function isCjkChar(ch: string): boolean {
  return CJK_RE.test(ch);
}

/** A word as crop-independent geometry: the quad in working-image pixels. */
export interface WordPiece {
  text: string;
  quad: Point[];
  confidence: number;
  /** True when followed by a space in the line. */
  spaceAfter: boolean;
}

export interface SegmentText {
  text: string;
  confidence: number;
  words: WordPiece[];
}

const THIN = 'iIljtfr1!|.,:;\'"()[]-';
/** Proportional type gives these their own small side bearings; `1` (tabular), `.` and `,` keep a wide cell. */
const NARROW_PUNCTUATION = '!|:;()[]/-';
/**
 * A decimal point faded off the paper leaves only its blank: at least this share of a type size,
 * and the number's other digit gaps no wider than FADED_RATIO of it.
 */
const FADED_POINT = 0.3, FADED_RATIO = 0.6;
/** Monospaced: a space leaves a whole empty cell, so neighbours' ink centres stand two pitches apart, not one. */
const MONO_SPACE_PITCHES = 1.55;

/**
 * Inserts a space between two Latin characters when the image shows a word-sized gap between
 * them. How wide depends on how the line is set (gaps.ts tells monospaced from proportional):
 * - monospaced: the ink centres either side of the gap stand at least one and a half pitches
 *   apart (a space is an empty cell, whatever glyphs flank it);
 * - otherwise, in type sizes: half of one is a space in any font; between two full letters a
 *   quarter is. Beside a thin glyph (a monospaced "1" or "I" sits in a wide blank cell) only the
 *   larger counts, and between two thin glyphs three quarters (both cells' blanks add up); in a
 *   line known to be proportional, punctuation such as `:`, `(` and `/` has narrow side bearings
 *   and 0.4 suffices. In letter-spaced text (captions, headings) the gap must also clearly
 *   exceed the line's usual gap between letters.
 * A faint glyph (a light colon) leaves no ink, so one blank runs across it: each side of its
 * centre counts as the blank between it and that neighbour. A blank holding a faint dot on the
 * baseline two digits before a number's end is its light decimal point, and gets a `.` instead;
 * so does such a blank with no dot left, when it is no word space and clearly wider than the
 * number's other digit gaps (a point faded off thermal paper).
 */
function restoreSpaces(read: LineRead): DecodedChar[] {
  const chars = read.chars;
  const centre = (c: DecodedChar) => ((c.t0 + c.t1 + 1) / 2) * read.pixelsPerStep;
  const latin = (c: DecodedChar) => c.text.trim() !== '' && !isCjkChar(c.text);
  // Only a Latin pair can gain a space: lines without one never look at the image's gaps.
  if (!chars.some((c, i) => i > 0 && latin(chars[i - 1]) && latin(c))) return chars;
  const gaps = read.gaps;
  const typeSize = gapTypeSize(gaps) ?? Infinity;
  const setting = typeSetting(gaps, read.contentWidth);
  // CTC places a character only to within a time step: a thin glyph's centre may fall just
  // inside the blank beside it (a monospaced `1 X`: the 1's ink ends at x 19, its step says 20),
  // so on a thin glyph's side the blank may start (or end) up to half a step past its centre.
  const slack = read.pixelsPerStep / 2;
  const covers = (g0: number, g1: number, c: DecodedChar) => c.text.trim() !== '' && g0 < centre(c) - slack && g1 > centre(c) + slack;
  /** The widest blank between two characters, in crop pixels, the gap it lies in, and whether a faint glyph cut it. */
  const widestIn = (a: DecodedChar, b: DecodedChar) => {
    const xa = centre(a), xb = centre(b);
    const ca = xa - (THIN.includes(a.text) ? slack : 0), cb = xb + (THIN.includes(b.text) ? slack : 0);
    let px = 0, at = -1, faint = false;
    gaps.forEach(([g0, g1], k) => {
      let w = 0, cut = false;
      if (g0 >= ca && g1 <= cb) w = g1 - g0;
      else if (covers(g0, g1, a) && g1 <= cb && !covers(g0, g1, b)) { w = g1 - xa; cut = true; }
      else if (covers(g0, g1, b) && g0 >= ca && !covers(g0, g1, a)) { w = xb - g0; cut = true; }
      if (w > px) { px = w; at = k; faint = cut; }
    });
    return { px, at, faint };
  };
  const between = chars.slice(1).map((b, i) => widestIn(chars[i], b)); // for each pair of neighbours
  const sizes = between.map((w) => w.px / typeSize).sort((x, y) => x - y);
  // A lone pair is its own median: only a blank of three quarters of a type size (a box holding
  // just `1 X`) is a word space there; less may be a two-letter word set wide.
  const usual = sizes.length === 1 && sizes[0] >= 0.75 ? 0 : sizes.length ? sizes[sizes.length >> 1] : 0;
  // Where the model itself put spaces, its narrowest one shows this line's word space: a gap
  // well below it is letter spacing (monospaced type sets "N e w" wide apart), not a word break.
  let modelSpace = Infinity;
  for (let i = 1; i + 1 < chars.length; i++) {
    if (chars[i].text !== ' ') continue;
    const ca = centre(chars[i - 1]), cb = centre(chars[i + 1]);
    modelSpace = Math.min(modelSpace, gaps.reduce((m, [g0, g1, size]) => (g0 >= ca && g1 <= cb && size > m ? size : m), 0));
  }
  const calibrated = Number.isFinite(modelSpace) && modelSpace > 0 ? 0.7 * modelSpace : 0;
  /** Monospaced: the centres of the ink runs either side of the gap, one glyph wide at most, in pitches. */
  const pitchesAcross = (k: number, pitch: number) => {
    const [g0, g1] = gaps[k];
    const left = Math.min(pitch, g0 - (k > 0 ? gaps[k - 1][1] : 0));
    const right = Math.min(pitch, (k + 1 < gaps.length ? gaps[k + 1][0] : read.contentWidth) - g1);
    return (g1 - g0 + (left + right) / 2) / pitch;
  };
  const spaced = (a: DecodedChar, b: DecodedChar, w: { px: number; at: number; faint: boolean }) => {
    if (w.at < 0) return false;
    if (setting.kind === 'monospaced' && !w.faint) return pitchesAcross(w.at, setting.pitch) >= MONO_SPACE_PITCHES;
    const wide = (c: DecodedChar) => THIN.includes(c.text) && !(setting.kind === 'proportional' && NARROW_PUNCTUATION.includes(c.text));
    const narrowPunct = setting.kind === 'proportional' && [a, b].some((c) => NARROW_PUNCTUATION.includes(c.text));
    // Each thin neighbour brings its cell's blank: a quarter type size more for each.
    const thin = (wide(a) ? 1 : 0) + (wide(b) ? 1 : 0);
    const need = thin === 2 ? 0.75 : narrowPunct ? 0.4 : thin === 1 ? 0.5 : !/\p{L}/u.test(a.text + b.text) ? 0.5 : 0.25;
    return w.px / typeSize >= Math.max(need, 2 * usual, calibrated);
  };
  const digit = (c: DecodedChar | undefined) => c !== undefined && /^\d$/.test(c.text);
  const blankOrEnd = (c: DecodedChar | undefined) => c === undefined || c.text.trim() === '';
  /** A light or faded decimal point between digits, two before the end of a number of up to six whole digits. */
  const decimalPoint = (i: number) => {
    const w = between[i - 1];
    if (w.at < 0 || w.faint || w.px < 0.25 * typeSize) return false;
    if (!digit(chars[i - 1]) || !digit(chars[i]) || !digit(chars[i + 1]) || !blankOrEnd(chars[i + 2])) return false;
    // An amount's whole part: a sign and up to six digits (longer runs are codes: barcodes, phone numbers).
    let whole = 0;
    for (let k = i - 1; k >= 0 && !blankOrEnd(chars[k]); k--, whole++) if (!/[\d-]/.test(chars[k].text)) return false;
    if (whole > 6) return false;
    if (gaps[w.at][3]) return true;
    // No ink left of it, but a blank the number's other digits do not leave: a point faded away.
    const others: number[] = [];
    for (let k = i - whole + 1; k <= i + 1; k++) if (k !== i && digit(chars[k - 1]) && digit(chars[k])) others.push(between[k - 1].px);
    // A blank the line's own rule takes for a word space (`9 32`, `1 10` in monospaced type) is one.
    return w.px >= FADED_POINT * typeSize && !spaced(chars[i - 1], chars[i], w) && others.length > 0 && Math.max(...others) <= FADED_RATIO * w.px;
  };
  const out: DecodedChar[] = chars.length ? [chars[0]] : [];
  for (let i = 1; i < chars.length; i++) {
    const a = chars[i - 1], b = chars[i];
    const span = { prob: Math.min(a.prob, b.prob), t0: a.t1, t1: b.t0 };
    if (latin(a) && latin(b) && decimalPoint(i)) out.push({ text: '.', ...span });
    else if (latin(a) && latin(b) && spaced(a, b, between[i - 1])) out.push({ text: ' ', ...span });
    out.push(b);
  }
  return out;
}

/** Full-width forms of ASCII (U+FF01–FF5E). */
const FULL_WIDTH = /^[\uff01-\uff5e]$/u;
const ideograph = (c: DecodedChar | undefined) => c !== undefined && isCjkChar(c.text) && !FULL_WIDTH.test(c.text);

/**
 * Full-width punctuation among Latin text in its ASCII form: with Chinese allowed (the API's
 * default languages) the model may end `Item(s)` with a full-width `）`, or put `：` after an
 * English label. A full-width form neither of whose nearest characters (spaces and other
 * full-width forms skipped: `）：` close one clause) is an ideograph or kana becomes ASCII;
 * among Chinese characters it stays.
 */
function asciiForms(chars: DecodedChar[]): DecodedChar[] {
  if (!chars.some((c) => FULL_WIDTH.test(c.text))) return chars;
  const near = (i: number, step: 1 | -1) => {
    for (let k = i + step; k >= 0 && k < chars.length; k += step) if (chars[k].text.trim() !== '' && !FULL_WIDTH.test(chars[k].text)) return chars[k];
    return undefined;
  };
  return chars.map((c, i) => {
    if (!FULL_WIDTH.test(c.text) || ideograph(near(i, -1)) || ideograph(near(i, 1))) return c;
    if (near(i, -1) === undefined && near(i, 1) === undefined) return c;
    return { ...c, text: String.fromCharCode(c.text.charCodeAt(0) - 0xfee0) };
  });
}

/**
 * No space inside brackets: after an opening one, before a closing one (`( SUNGAI RENGIT )`,
 * `GST )`), as Latin text is set. The model reads the blank a monospaced bracket's cell
 * leaves, and a bracket's own side bearing can measure as a word gap.
 */
function tightBrackets(chars: DecodedChar[]): DecodedChar[] {
  return chars.filter((c, i) => c.text !== ' ' || !(/^[([]$/.test(chars[i - 1]?.text ?? '') || /^[)\]]$/.test(chars[i + 1]?.text ?? '')));
}

/** Splits a read into words, with spaces collapsed and leading/trailing spaces dropped. */
export function segmentText(read: LineRead): SegmentText {
  const spaced = tightBrackets(restoreSpaces({ ...read, chars: asciiForms(read.chars) }));
  const texts = correctLookAlikes(spaced.map((c) => c.text));
  const breaks = new Set(fusedDateTimeBreaks(texts));
  const chars = spaced.flatMap((c, i) => {
    const own = texts[i] === c.text ? c : { ...c, text: texts[i] };
    return breaks.has(i) ? [{ text: ' ', prob: c.prob, t0: c.t0, t1: c.t0 }, own] : [own];
  });
  const centres = chars.map((c) => ((c.t0 + c.t1 + 1) / 2) * read.pixelsPerStep);
  const pitch = chars.length > 1 ? (centres[centres.length - 1] - centres[0]) / (chars.length - 1) : read.contentWidth;
  const left = (i: number) => Math.max(0, i === 0 ? centres[0] - pitch / 2 : (centres[i - 1] + centres[i]) / 2);
  const right = (i: number) => Math.min(read.contentWidth, i === chars.length - 1 ? centres[i] + pitch / 2 : (centres[i] + centres[i + 1]) / 2);
  const words: WordPiece[] = [];
  let start = -1;
  const close = (end: number, spaceAfter: boolean) => {
    if (start < 0) return;
    const run = chars.slice(start, end + 1);
    const s0 = left(start) / read.contentWidth, s1 = right(end) / read.contentWidth;
    words.push({
      text: run.map((c) => c.text).join(''),
      quad: [pointAt(read.box, s0, 0), pointAt(read.box, s1, 0), pointAt(read.box, s1, 1), pointAt(read.box, s0, 1)],
      confidence: run.reduce((a, c) => a + c.prob, 0) / run.length,
      spaceAfter,
    });
    start = -1;
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i].text;
    if (ch.trim() === '') { close(i - 1, true); continue; }
    // A Chinese character stands alone; so does the boundary between Chinese and Latin text.
    if (start >= 0 && (isCjkChar(ch) || isCjkChar(chars[i - 1].text))) close(i - 1, false);
    if (start < 0) start = i;
  }
  close(chars.length - 1, false);
  if (words.length > 0) words[words.length - 1].spaceAfter = false;
  const text = words.map((w) => w.text + (w.spaceAfter ? ' ' : '')).join('');
  const nonSpace = chars.filter((c) => c.text.trim() !== '');
  const confidence = nonSpace.length ? nonSpace.reduce((a, c) => a + c.prob, 0) / nonSpace.length : 0;
  return { text, confidence, words };
}

/** True when the text is mostly Chinese/Japanese (the line then joins words without spaces). */
export function isCjkText(text: string): boolean {
  const chars = [...text.replace(/\s+/g, '')];
  if (chars.length === 0) return false;
  return chars.filter(isCjkChar).length / chars.length >= 0.3;
}
