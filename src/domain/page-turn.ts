/**
 * Turning a page's tree by quarter turns. Boxes in the tree are in the pixels of the image as
 * given; when the engine had to turn it to read it (`Page.rotation`, clockwise), whatever
 * reasons about lines and their neighbours (layout analysis, flowing formats such as docx and
 * xlsx) works in the upright frame, where line pitch, gaps, columns and page shape mean what
 * they should, and results go back to the image's frame with `turnedBack`.
 */
import type { Box, Page } from './ocr-tree.js';
import { mapBoxes } from './ocr-tree.js';

/** A rotation in degrees as 0, 90, 180 or 270 (for the quarter turns the tree records). */
export const quarterTurn = (degrees: number) => ((degrees % 360) + 360) % 360;

/** The box on a W×H page turned clockwise by `turn` (0/90/180/270). */
function turnBox(b: Box, turn: number, W: number, H: number): Box {
  switch (turn) {
    case 90: return { x: H - (b.y + b.h), y: b.x, w: b.h, h: b.w };
    case 180: return { x: W - (b.x + b.w), y: H - (b.y + b.h), w: b.w, h: b.h };
    case 270: return { x: b.y, y: W - (b.x + b.w), w: b.h, h: b.w };
    default: return b;
  }
}

/** Every box of the page turned clockwise by `turn`; the page's size follows, `rotation` is left as it was. */
function turnBoxes(page: Page, turn: number): Page {
  if (turn !== 90 && turn !== 180 && turn !== 270) return page;
  const sideways = turn !== 180;
  return {
    ...mapBoxes(page, (b) => turnBox(b, turn, page.width, page.height)),
    width: sideways ? page.height : page.width, height: sideways ? page.width : page.height,
  };
}

/** The page as read: boxes in the upright frame, rotation 0. */
export function uprightPage(page: Page): Page {
  const turn = quarterTurn(page.rotation);
  return turn === 0 ? page : { ...turnBoxes(page, turn), rotation: 0 };
}

/** An upright page (from `uprightPage`) taken back to the frame of the image as given, which the engine turned by `rotation`. */
export function turnedBack(upright: Page, rotation: number): Page {
  const turn = quarterTurn(rotation);
  return turn === 0 ? upright : { ...turnBoxes(upright, (360 - turn) % 360), rotation };
}
