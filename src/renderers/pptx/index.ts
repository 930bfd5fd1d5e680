/**
 * pptx: one slide per page. The slide size is the first page's size (a presentation has
 * one slide size); other pages are scaled to fit. Each text block is an editable text box
 * at its position with its approximate size, tables are real slide tables. With
 * `background` (default on) the page image lies behind them, and the boxes are filled white
 * so the recognised text replaces the picture of the text while figures stay visible.
 */
import pptxModule from 'pptxgenjs';
import type { Block, Page } from '../../domain/ocr-tree.js';
import { quarterTurn } from '../../domain/page-turn.js';
import type { RenderInput, Renderer } from '../../ports/renderer.js';
import { blockFontSize, fittingFontSize, tableColumnWidths, tableLayout, tableRowHeights, toInches } from '../metrics.js';
import { lineText } from '../text.js';
import { structuredDocument } from '../structure.js';
import { backdropOf } from './background.js';

// The package's typings are CommonJS-shaped (`export default` in a CJS .d.ts) while Node
// loads its ES build: the class is the default export at run time, `.default` to the types.
type PptxGenJS = InstanceType<typeof pptxModule.default>;
type Slide = pptxModule.default.Slide;
type TableRow = pptxModule.default.TableRow;
type TableCell = pptxModule.default.TableCell;
const PptxGenJSClass = ((pptxModule as unknown as { default?: typeof pptxModule.default }).default
  ?? pptxModule) as unknown as typeof pptxModule.default;

export interface PptxOptions {
  /** Put the page image behind the text boxes. */
  background?: boolean;
}

interface Frame {
  /** Inches per page pixel, and the offset that centres the page on the slide. */
  scale: number;
  dx: number;
  dy: number;
}

function frameOf(page: Page, slideW: number, slideH: number): Frame {
  const pw = toInches(page.width, page.dpi), ph = toInches(page.height, page.dpi);
  const fit = Math.min(slideW / pw, slideH / ph);
  return { scale: fit / page.dpi, dx: (slideW - pw * fit) / 2, dy: (slideH - ph * fit) / 2 };
}

function addTable(slide: Slide, block: Block, f: Frame, fontSize: number, fill: boolean): void {
  const t = block.table!;
  const rows: TableRow[] = tableLayout(t).map((positions) => positions.map(({ cell }): TableCell => ({
    text: cell ? cell.lines.map(lineText).filter((s) => s !== '').join('\n') : '',
    options: { rowspan: cell?.rowSpan, colspan: cell?.colSpan },
  })));
  slide.addTable(rows, {
    x: f.dx + block.box.x * f.scale, y: f.dy + block.box.y * f.scale,
    colW: tableColumnWidths(block).map((w) => w * f.scale), rowH: tableRowHeights(block).map((h) => h * f.scale), fontSize, fontFace: 'Arial', margin: 0.02,
    border: { type: 'solid', pt: 0.5, color: '666666' }, fill: fill ? { color: 'FFFFFF' } : undefined, valign: 'middle',
  });
}

function addBlock(slide: Slide, block: Block, page: Page, f: Frame, fill: boolean): void {
  // Slide points per page point: the page may be scaled to fit the slide.
  const zoom = f.scale * page.dpi;
  if (block.kind === 'table' && block.table) {
    const cellLines = block.table.cells.flatMap((c) => c.lines);
    addTable(slide, block, f, Math.min(blockFontSize(block.lines, page.dpi), fittingFontSize(cellLines, lineText, page.dpi) * 1.1) * zoom, fill);
    return;
  }
  // On a page the engine had to turn, text runs across the box: size it along the text and
  // turn the text box the same way, so it sits over the words it replaces.
  const turn = quarterTurn(page.rotation);
  const sideways = turn === 90 || turn === 270;
  const along = sideways ? block.lines.map((l) => ({ ...l, box: { ...l.box, w: l.box.h, h: l.box.w } })) : block.lines;
  const fontSize = fittingFontSize(along, lineText, page.dpi) * zoom;
  // Vertical CJK stays vertical: East Asian vertical text, columns right to left.
  const vertical = block.lines.some((l) => l.vertical);
  const text = block.lines.map(lineText).filter((s) => s !== '').join('\n');
  if (text === '') return;
  const bw = (sideways ? block.box.h : block.box.w) * f.scale * 1.05, bh = (sideways ? block.box.w : block.box.h) * f.scale * 1.1;
  const cx = f.dx + (block.box.x + block.box.w / 2) * f.scale, cy = f.dy + (block.box.y + block.box.h / 2) * f.scale;
  slide.addText(text, {
    x: cx - bw / 2, y: cy - bh / 2, w: Math.max(0.2, bw), h: Math.max(0.2, bh), rotate: turn === 0 ? undefined : 360 - turn,
    fontSize, fontFace: 'Arial', bold: block.kind === 'heading', margin: 0, valign: 'top', wrap: true, vert: vertical ? 'eaVert' : undefined,
    fill: fill ? { color: 'FFFFFF' } : undefined,
  });
}

async function render(given: RenderInput, options: PptxOptions): Promise<Buffer> {
  const input = { ...given, doc: await structuredDocument(given) };
  const pres: PptxGenJS = new PptxGenJSClass();
  const first = input.doc.pages.find((p) => p.width > 0 && p.height > 0);
  // PowerPoint accepts 1..56 inch slides.
  const clampIn = (v: number) => Math.min(56, Math.max(1, v));
  const slideW = first ? clampIn(toInches(first.width, first.dpi)) : 10, slideH = first ? clampIn(toInches(first.height, first.dpi)) : 7.5;
  pres.defineLayout({ name: 'DOCR_PAGE', width: slideW, height: slideH });
  pres.layout = 'DOCR_PAGE';
  for (const page of input.doc.pages) {
    const slide = pres.addSlide();
    if (!(page.width > 0 && page.height > 0)) continue; // a page that could not be read: a blank slide
    const f = frameOf(page, slideW, slideH);
    const withImage = options.background !== false;
    if (withImage) {
      const image = await input.pageImage(page.index).catch(() => undefined);
      if (image) slide.addImage({ ...(await backdropOf(image)), x: f.dx, y: f.dy, w: page.width * f.scale, h: page.height * f.scale });
    }
    for (const block of page.blocks) addBlock(slide, block, page, f, withImage);
  }
  if (input.doc.pages.length === 0) pres.addSlide();
  // stream() is the one export that honours `compression` (write() ignores it in 4.0.1).
  const out = await pres.stream({ compression: true });
  return Buffer.from(out as Uint8Array);
}

export function createPptxRenderer(options: PptxOptions = {}): Renderer {
  return { format: 'pptx', render: (input) => render(input, options) };
}
