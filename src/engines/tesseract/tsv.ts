/**
 * Tesseract TSV → OCR tree page. TSV rows: level (2 block, 3 paragraph, 4 line, 5 word),
 * page, block, par, line, word numbers, left, top, width, height, conf (0..100, -1 for
 * non-words), text. Each Tesseract paragraph becomes a Block (a block of several
 * paragraphs would merge them for renderers). Boxes stay in the input image's pixels: with
 * psm 1 Tesseract reads rotated pages internally and reports boxes unrotated.
 */
import type { Block, Box, Line, Page, Word } from '../../domain/ocr-tree.js';
import { emptyPage, unionBox } from '../../domain/ocr-tree.js';

const CJK_CHAR = /[\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

export interface TsvPageInput {
  tsv: string;
  index: number;
  width: number;
  height: number;
  dpi: number;
  /** The request includes a CJK language: lines with CJK characters get `cjk` and lose Tesseract's inter-character spaces. */
  cjk: boolean;
}

interface RawWord { key: string; box: Box; conf: number; text: string }

function parseRows(tsv: string): RawWord[] {
  const words: RawWord[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
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

/** Joins words with a space, except where either side of the join is a CJK character in a CJK line. */
export function joinWords(texts: readonly string[], cjk: boolean): string {
  let out = '';
  for (const t of texts) {
    if (out === '') { out = t; continue; }
    const glue = cjk && (CJK_CHAR.test([...out].at(-1) ?? '') || CJK_CHAR.test([...t][0] ?? '')) ? '' : ' ';
    out += glue + t;
  }
  return out;
}

function toLine(words: RawWord[], cjkRequest: boolean): Line {
  const text0 = words.map((w) => w.text).join('');
  const cjk = cjkRequest && CJK_CHAR.test(text0);
  const out: Word[] = words.map((w) => ({ text: w.text, box: w.box, confidence: w.conf }));
  const confidence = out.reduce((s, w) => s + w.confidence, 0) / out.length;
  return { text: joinWords(out.map((w) => w.text), cjk), box: unionBox(out.map((w) => w.box)), confidence, words: out, ...(cjk ? { cjk } : {}) };
}

/**
 * Clockwise rotation that made the page upright, inferred from the direction in which the
 * words of multi-word lines advance (TSV carries no angle): right → 0, left → 180,
 * up → 90 (text turned counter-clockwise), down → 270.
 */
export function inferRotation(lines: readonly Line[]): number {
  const votes = new Map<number, number>();
  for (const l of lines) {
    if (l.words.length < 2) continue;
    const a = l.words[0].box, b = l.words[l.words.length - 1].box;
    const dx = (b.x + b.w / 2) - (a.x + a.w / 2), dy = (b.y + b.h / 2) - (a.y + a.h / 2);
    const r = Math.abs(dx) >= Math.abs(dy) ? (dx >= 0 ? 0 : 180) : (dy < 0 ? 90 : 270);
    votes.set(r, (votes.get(r) ?? 0) + l.words.length);
  }
  let best = 0, bestVotes = -1;
  for (const [r, v] of votes) if (v > bestVotes) { best = r; bestVotes = v; }
  return best;
}

export function tsvToPage(input: TsvPageInput): Page {
  const page = emptyPage(input.index, input.width, input.height, input.dpi);
  const lines = new Map<string, RawWord[]>();
  for (const w of parseRows(input.tsv)) {
    const ws = lines.get(w.key) ?? [];
    ws.push(w);
    lines.set(w.key, ws);
  }
  // Lines in Tesseract's order (its reading order), grouped by block/paragraph.
  const blocks = new Map<string, Line[]>();
  for (const [key, ws] of lines) {
    const para = key.slice(0, key.lastIndexOf('/'));
    const ls = blocks.get(para) ?? [];
    ls.push(toLine(ws, input.cjk));
    blocks.set(para, ls);
  }
  page.blocks = [...blocks.values()].map((ls): Block => ({ kind: 'text', box: unionBox(ls.map((l) => l.box)), lines: ls }));
  page.rotation = inferRotation([...blocks.values()].flat());
  return page;
}
