/**
 * Paragraphs and headings. Engines that return one block per line (detection-recognition
 * pipelines) get their lines grouped into paragraphs; a short block whose lines are clearly
 * taller than the page's median line becomes a heading.
 */
import type { Block, Line, Page } from '../domain/ocr-tree.js';
import { pageLines, unionBox } from '../domain/ocr-tree.js';

/** A heading's lines are at least this much taller than the page median and the text below. */
const HEADING_RATIO = 1.15;
const BIG_RATIO = 1.6;
const HEADING_MAX_LINES = 2;
const HEADING_MAX_CHARS = 80;
/** Headings do not end like sentences (the tail of a paragraph in large type does). */
const SENTENCE_END = /[.!?;,。！？；，、]$/u;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

/** True when `next` continues the paragraph whose last line is `prev`. */
function continues(prev: Line, next: Line): boolean {
  const gap = next.box.y - (prev.box.y + prev.box.h);
  const h = Math.min(prev.box.h, next.box.h);
  const similar = Math.max(prev.box.h, next.box.h) <= 1.3 * h;
  const overlap = Math.min(prev.box.x + prev.box.w, next.box.x + next.box.w) - Math.max(prev.box.x, next.box.x);
  const aligned = overlap >= 0.5 * Math.min(prev.box.w, next.box.w) || Math.abs(prev.box.x - next.box.x) <= h;
  return gap >= -0.3 * h && gap <= 0.8 * h && similar && aligned;
}

/** Groups single-line text blocks into paragraphs when the engine gave nothing but single lines. */
export function groupParagraphs(page: Page): Page {
  const text = page.blocks.filter((b) => b.kind === 'text');
  if (text.length < 3 || text.some((b) => b.lines.length > 1)) return page;
  const blocks: Block[] = [];
  for (const b of page.blocks) {
    const last = blocks.at(-1);
    if (b.kind === 'text' && last?.kind === 'text' && continues(last.lines[last.lines.length - 1], b.lines[0])) {
      const lines = [...last.lines, ...b.lines];
      blocks[blocks.length - 1] = { ...last, lines, box: unionBox(lines.map((l) => l.box)) };
    } else {
      blocks.push(b);
    }
  }
  return { ...page, blocks };
}

/**
 * Marks short blocks of larger type as headings: every line at least HEADING_RATIO times
 * the page's median line height, and taller than the text that follows it (a run of
 * larger-type body text, such as a feature list, is not a heading). Very large type
 * (BIG_RATIO) is a heading whatever follows.
 */
export function markHeadings(page: Page): Page {
  const lineH = median(pageLines(page).map((l) => l.box.h));
  if (lineH <= 0) return page;
  const blocks = page.blocks.map((b, i): Block => {
    if (b.kind !== 'text' || b.lines.length === 0 || b.lines.length > HEADING_MAX_LINES) return b;
    const chars = b.lines.reduce((n, l) => n + [...l.text].length, 0);
    const h = Math.min(...b.lines.map((l) => l.box.h));
    if (chars > HEADING_MAX_CHARS || h < HEADING_RATIO * lineH || SENTENCE_END.test(b.lines[b.lines.length - 1].text.trim())) return b;
    const next = page.blocks.slice(i + 1).find((x) => x.kind === 'text' && x.lines.length > 0);
    const nextH = next ? median(next.lines.map((l) => l.box.h)) : 0;
    return h >= BIG_RATIO * lineH || h >= HEADING_RATIO * nextH ? { ...b, kind: 'heading' } : b;
  });
  return { ...page, blocks };
}
