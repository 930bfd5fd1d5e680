/**
 * The engine-neutral OCR tree: what engines and PDF text extraction produce, and the only
 * thing renderers read. Coordinates are page pixels of the page image the engine saw
 * (origin top-left, y down), at `Page.dpi`. A page whose text came from a PDF text layer
 * uses the same pixel space at the page's nominal dpi, so renderers need not care where
 * text came from.
 */

/** Axis-aligned box in page pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Word {
  text: string;
  box: Box;
  /** 0..1 */
  confidence: number;
}

export interface Line {
  text: string;
  box: Box;
  /** 0..1, the mean of the words' confidences where the engine gives no line figure. */
  confidence: number;
  words: Word[];
  /**
   * True when the line's script has no spaces between words (Chinese, Japanese, Thai, Lao,
   * Khmer, Myanmar, Tibetan); renderers then join adjacent words of those scripts without
   * inserting a space (src/domain/line-text.ts).
   */
  cjk?: boolean;
  /**
   * True when the line is written top to bottom (vertical Chinese or Japanese): its words
   * stack downwards, and a block of such lines reads its lines right to left.
   */
  vertical?: boolean;
}

export type BlockKind = 'text' | 'heading' | 'table' | 'figure';

/** A table cell, by grid position; `lines` are the lines that fall inside it. */
export interface TableCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  box: Box;
  lines: Line[];
}

export interface Table {
  rows: number;
  cols: number;
  cells: TableCell[];
}

export interface Block {
  kind: BlockKind;
  box: Box;
  /** Lines in reading order. For a table block, every line of every cell, row by row. */
  lines: Line[];
  /** Present when kind is 'table'. */
  table?: Table;
}

export type PageSource = 'ocr' | 'text-layer' | 'mixed';

export interface Page {
  /** 1-based index in the input document. */
  index: number;
  /** Page size in pixels at `dpi`. */
  width: number;
  height: number;
  dpi: number;
  /** Clockwise rotation in degrees (0/90/180/270) that was applied to the input image to read it upright. */
  rotation: number;
  /** Blocks in reading order. */
  blocks: Block[];
  source: PageSource;
  /** Non-fatal problems met on this page (a failed image, a low-confidence read). */
  warnings: string[];
  /** Which engine read the page and why (the engine policy's decision, issue 11); absent for text-layer pages. */
  engine?: { id: string; reason: string };
  /** language=auto: the language names found on this page and read with. */
  languages?: string[];
}

export interface OcrDocument {
  pages: Page[];
  /** Language names (the API's) the document was read with. */
  languages: string[];
}

export function emptyPage(index: number, width: number, height: number, dpi: number): Page {
  return { index, width, height, dpi, rotation: 0, blocks: [], source: 'ocr', warnings: [] };
}

/** The union box of several boxes; a zero box for an empty list. */
export function unionBox(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return { x: 0, y: 0, w: 0, h: 0 };
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w); y1 = Math.max(y1, b.y + b.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** The page with every box (blocks, lines, words, table cells) passed through `f`; nothing else changes. */
export function mapBoxes(page: Page, f: (b: Box) => Box): Page {
  const line = (l: Line): Line => ({ ...l, box: f(l.box), words: l.words.map((w) => ({ ...w, box: f(w.box) })) });
  const block = (b: Block): Block => ({
    ...b, box: f(b.box), lines: b.lines.map(line),
    ...(b.table ? { table: { ...b.table, cells: b.table.cells.map((c) => ({ ...c, box: f(c.box), lines: c.lines.map(line) })) } } : {}),
  });
  return { ...page, blocks: page.blocks.map(block) };
}

/** Every line of a page in reading order. */
export function pageLines(page: Page): Line[] {
  return page.blocks.flatMap((b) => b.lines);
}

/** True when at least one page holds at least one non-blank line. */
export function hasText(doc: OcrDocument): boolean {
  return doc.pages.some((p) => pageLines(p).some((l) => l.text.trim() !== ''));
}
