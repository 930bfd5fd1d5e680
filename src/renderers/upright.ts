/**
 * A page as read upright. Boxes in the tree are in the pixels of the image as given; when
 * the engine had to turn it (`Page.rotation`, clockwise), flowing formats (docx, xlsx) lay
 * text out in the upright frame so line pitch, gaps and page shape mean what they should.
 */
import type { Block, Box, Line, Page } from '../domain/ocr-tree.js';

function turnBox(b: Box, turn: number, W: number, H: number): Box {
  switch (turn) {
    case 90: return { x: H - (b.y + b.h), y: b.x, w: b.h, h: b.w };
    case 180: return { x: W - (b.x + b.w), y: H - (b.y + b.h), w: b.w, h: b.h };
    case 270: return { x: b.y, y: W - (b.x + b.w), w: b.h, h: b.w };
    default: return b;
  }
}

export function uprightPage(page: Page): Page {
  const turn = ((page.rotation % 360) + 360) % 360;
  if (turn !== 90 && turn !== 180 && turn !== 270) return page;
  const t = (b: Box) => turnBox(b, turn, page.width, page.height);
  const line = (l: Line): Line => ({ ...l, box: t(l.box), words: l.words.map((w) => ({ ...w, box: t(w.box) })) });
  const block = (b: Block): Block => ({
    ...b, box: t(b.box), lines: b.lines.map(line),
    table: b.table && { ...b.table, cells: b.table.cells.map((c) => ({ ...c, box: t(c.box), lines: c.lines.map(line) })) },
  });
  const sideways = turn !== 180;
  return {
    ...page, rotation: 0, blocks: page.blocks.map(block),
    width: sideways ? page.height : page.width, height: sideways ? page.width : page.height,
  };
}
