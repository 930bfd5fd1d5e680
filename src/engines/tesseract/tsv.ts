/**
 * Tesseract TSV → OCR tree page. TSV rows: level (2 block, 3 paragraph, 4 line, 5 word),
 * page, block, par, line, word numbers, left, top, width, height, conf (0..100, -1 for
 * non-words), text. Each Tesseract paragraph becomes a Block (a block of several
 * paragraphs would merge them for renderers). Boxes stay in the input image's pixels: with
 * psm 1 Tesseract reads rotated pages internally and reports boxes unrotated.
 *
 * Scripts written without spaces (Thai, Chinese, ...): Tesseract's TSV cuts their lines into
 * many "words" (Thai character clusters) and does not say which of them a space follows; its
 * plain-text output does (the models preserve the image's inter-word spaces). The engine asks
 * for both, and each such line's words carry the spaces of the matching text line.
 */
import type { Block, Box, Line, Page, Word } from '../../domain/ocr-tree.js';
import { emptyPage, unionBox } from '../../domain/ocr-tree.js';
import { isUnspacedText, joinWordTexts } from '../../domain/line-text.js';

export interface TsvPageInput {
  /** Tesseract's output: TSV rows, optionally followed or preceded by its plain text (`txt` config). */
  tsv: string;
  index: number;
  width: number;
  height: number;
  dpi: number;
  /** The request includes a language written without spaces: lines mostly in such scripts get `cjk`. */
  cjk: boolean;
}

interface RawWord { key: string; box: Box; conf: number; text: string }

/** TSV rows have 12 tab-separated fields; plain-text lines have no tabs. */
function splitOutput(out: string): { rows: string[][]; textLines: string[] } {
  const rows: string[][] = [], textLines: string[] = [];
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (f.length >= 12) rows.push(f); else if (line.trim() !== '') textLines.push(line.trim());
  }
  return { rows, textLines };
}

function parseRows(rows: string[][]): RawWord[] {
  const words: RawWord[] = [];
  for (const f of rows) {
    if (f[0] !== '5') continue;
    const text = f.slice(11).join('\t').trim();
    if (text === '') continue;
    words.push({
      key: `${f[2]}/${f[3]}/${f[4]}`,
      box: { x: +f[6], y: +f[7], w: +f[8], h: +f[9] },
      conf: Math.max(0, Math.min(1, +f[10] / 100)),
      text,
    });
  }
  return words;
}

/**
 * The words with a trailing space wherever `textLine` (Tesseract's own text of the line) has
 * one between them; undefined when the text line is not these words (then the joining rule
 * decides alone).
 */
export function spacedLike(words: readonly string[], textLine: string): string[] | undefined {
  const out: string[] = [];
  let pos = 0;
  for (const w of words) {
    if (!textLine.startsWith(w, pos)) return undefined;
    pos += w.length;
    let spaced = false;
    while (pos < textLine.length && /\s/u.test(textLine[pos])) { pos++; spaced = true; }
    out.push(spaced ? `${w} ` : w);
  }
  return pos === textLine.length ? out : undefined;
}

/** Consumes text lines in order: the first (from `cursor.at`) that is this line's words with spaces. */
function matchingTextLine(words: readonly string[], textLines: readonly string[], cursor: { at: number }): string[] | undefined {
  const bare = words.join('');
  for (let i = cursor.at; i < textLines.length; i++) {
    if (textLines[i].replace(/\s+/gu, '') !== bare.replace(/\s+/gu, '')) continue;
    const spaced = spacedLike(words, textLines[i]);
    if (spaced) { cursor.at = i + 1; return spaced; }
  }
  return undefined;
}

function toLine(words: RawWord[], unspacedRequest: boolean, textLines: readonly string[], cursor: { at: number }): Line {
  const texts = words.map((w) => w.text);
  const cjk = unspacedRequest && isUnspacedText(texts.join(''));
  const carried = cjk ? matchingTextLine(texts, textLines, cursor) : undefined;
  const out: Word[] = words.map((w, i) => ({ text: carried?.[i] ?? w.text, box: w.box, confidence: w.conf }));
  const confidence = out.reduce((s, w) => s + w.confidence, 0) / out.length;
  const vertical = cjk && advance(out) === 270;
  return { text: joinWordTexts(out.map((w) => w.text), cjk), box: unionBox(out.map((w) => w.box)), confidence, words: out, ...(cjk ? { cjk } : {}), ...(vertical ? { vertical } : {}) };
}

/** The direction the words of a line advance in, as the clockwise turn that would make it run right (undefined for one word). */
function advance(words: readonly Word[]): number | undefined {
  if (words.length < 2) return undefined;
  const a = words[0].box, b = words[words.length - 1].box;
  const dx = (b.x + b.w / 2) - (a.x + a.w / 2), dy = (b.y + b.h / 2) - (a.y + a.h / 2);
  return Math.abs(dx) >= Math.abs(dy) ? (dx >= 0 ? 0 : 180) : (dy < 0 ? 90 : 270);
}

/**
 * Clockwise rotation that made the page upright, inferred from the direction in which the
 * words of multi-word lines advance (TSV carries no angle): right → 0, left → 180,
 * up → 90 (text turned counter-clockwise), down → 270. CJK lines advancing down are
 * vertical writing (`Line.vertical`), not a turned page: they vote for 0.
 */
export function inferRotation(lines: readonly Line[]): number {
  const votes = new Map<number, number>();
  for (const l of lines) {
    const r = l.vertical ? 0 : advance(l.words);
    if (r === undefined) continue;
    votes.set(r, (votes.get(r) ?? 0) + l.words.length);
  }
  let best = 0, bestVotes = -1;
  for (const [r, v] of votes) if (v > bestVotes) { best = r; bestVotes = v; }
  return best;
}

export function tsvToPage(input: TsvPageInput): Page {
  const page = emptyPage(input.index, input.width, input.height, input.dpi);
  const { rows, textLines } = splitOutput(input.tsv);
  const lines = new Map<string, RawWord[]>();
  for (const w of parseRows(rows)) {
    const ws = lines.get(w.key) ?? [];
    ws.push(w);
    lines.set(w.key, ws);
  }
  // Lines in Tesseract's order (its reading order), grouped by block/paragraph.
  const blocks = new Map<string, Line[]>();
  const cursor = { at: 0 };
  for (const [key, ws] of lines) {
    const para = key.slice(0, key.lastIndexOf('/'));
    const ls = blocks.get(para) ?? [];
    ls.push(toLine(ws, input.cjk, textLines, cursor));
    blocks.set(para, ls);
  }
  page.blocks = [...blocks.values()].map((ls): Block => ({ kind: 'text', box: unionBox(ls.map((l) => l.box)), lines: ls }));
  page.rotation = inferRotation([...blocks.values()].flat());
  return page;
}
