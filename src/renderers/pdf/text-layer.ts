/**
 * The invisible text layer of one page, as PDF content-stream operators: every word drawn
 * in render mode 3 (invisible) with the glyphless font, at its box, the run stretched
 * horizontally (Tz) to the box width as Tesseract's PDF renderer does, so selection and
 * search highlight the right place. Coordinates are "view space": points, origin at the
 * bottom-left of the page as displayed; callers map view space to the page with `cm`.
 */
import type { Line, Page } from '../../domain/ocr-tree.js';
import { pageLines } from '../../domain/ocr-tree.js';
import { isCjkChar } from '../text.js';
import { GLYPH_WIDTH } from './glyphless-font.js';

const num = (n: number): string => (Math.round(n * 100) / 100).toString();

/** UTF-16 code units as hex: the glyphless font's codes are code units, mapped back by ToUnicode. */
function hexUtf16(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

function lineOps(line: Line, fontName: string, sx: number, sy: number, viewH: number): string[] {
  const words = line.words.filter((w) => w.text.trim() !== '');
  if (words.length === 0) return [];
  const fontSize = Math.max(1, line.box.h * sy);
  const baseline = viewH - (line.box.y + line.box.h) * sy;
  const ops: string[] = [`/${fontName} ${num(fontSize)} Tf`];
  words.forEach((w, i) => {
    const next = words[i + 1];
    // A space travels with the word (stretched over the gap to the next word) where the
    // txt result has one, so extractors see the same word breaks.
    const spaced = next !== undefined && !(line.cjk && (isCjkChar(w.text.at(-1)) || isCjkChar(next.text[0])));
    const text = spaced ? `${w.text} ` : w.text;
    const right = spaced && next.box.x > w.box.x + w.box.w * 0.5 ? next.box.x : w.box.x + w.box.w;
    const width = Math.max(0.5, (right - w.box.x) * sx);
    const natural = (text.length * GLYPH_WIDTH * fontSize) / 1000;
    ops.push(`1 0 0 1 ${num(w.box.x * sx)} ${num(baseline)} Tm ${num((100 * width) / natural)} Tz <${hexUtf16(text)}> Tj`);
  });
  return ops;
}

/** Operators for `lines` of `page` (default: all of them); empty string when there are no words. */
export function textLayerOps(page: Page, fontName: string, viewW: number, viewH: number, lines: readonly Line[] = pageLines(page)): string {
  const sx = viewW / page.width, sy = viewH / page.height;
  const ops = lines.flatMap((l) => lineOps(l, fontName, sx, sy, viewH));
  if (ops.length === 0) return '';
  return `BT\n3 Tr\n${ops.join('\n')}\nET\n`;
}
