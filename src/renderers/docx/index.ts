/**
 * docx: each page starts a new section (page size of the input page, so sections break
 * pages; runs of side-by-side columns continue it as Word columns, see columns.ts), a
 * paragraph per block with its lines kept as line breaks and an approximate size from the
 * line heights, headings bold, table blocks as real Word tables with merged cells.
 */
import { ColumnBreak, Document, HeightRule, LineRuleType, Packer, Paragraph, SectionType, Table, TableBorders, TableCell, TableRow, TextDirection, TextRun, WidthType } from 'docx';
import type { Block, Line, Page, TableCell as TreeCell } from '../../domain/ocr-tree.js';
import type { Renderer } from '../../ports/renderer.js';
import { blockFontSize, contentBox, tableColumnWidths, tableLayout, toTwips } from '../metrics.js';
import { lineText } from '../text.js';
import { structuredDocument } from '../structure.js';
import { columnRuns } from './columns.js';
import { uprightPage } from '../../domain/page-turn.js';

const MIN_MARGIN_IN = 0.3, MAX_MARGIN_IN = 1;

/** Line pitch of a block in page pixels: the median distance between line tops (vertical lines: right edges), else 1.2 line heights. */
function linePitch(lines: readonly Line[]): number {
  const vertical = lines.some((l) => l.vertical);
  const steps = lines.slice(1).map((l, i) => (vertical ? lines[i].box.x - l.box.x : l.box.y - lines[i].box.y)).filter((d) => d > 0).sort((a, b) => a - b);
  const h = Math.max(...lines.map((l) => (vertical ? l.box.w : l.box.h)));
  return steps.length ? Math.max(steps[Math.floor(steps.length / 2)], h) : h * 1.2;
}

/**
 * A block as one paragraph. Line spacing is the block's own pitch (exact), and the space
 * before it the gap above it on the page, so a page of text fills about one page in Word.
 */
function paragraphOf(lines: readonly Line[], dpi: number, bold: boolean, gapAbovePx = 0): Paragraph {
  const sizePt = blockFontSize(lines, dpi);
  const texts = lines.map(lineText).filter((t) => t !== '');
  const pitch = lines.length ? Math.max(toTwips(linePitch(lines), dpi), Math.round(sizePt * 20 * 1.15)) : 240;
  return new Paragraph({
    children: texts.map((text, i) => new TextRun({ text, size: sizePt * 2, bold, break: i > 0 ? 1 : undefined })),
    spacing: { line: pitch, lineRule: LineRuleType.EXACT, before: Math.min(Math.max(0, toTwips(gapAbovePx, dpi)), sizePt * 30), after: 0 },
  });
}

function cellOf(cell: TreeCell | undefined, dpi: number, width: number): TableCell {
  return new TableCell({
    children: [paragraphOf(cell?.lines ?? [], dpi, false)],
    columnSpan: cell && cell.colSpan > 1 ? cell.colSpan : undefined,
    rowSpan: cell && cell.rowSpan > 1 ? cell.rowSpan : undefined,
    width: { size: width, type: WidthType.DXA },
  });
}

/**
 * A block of vertical lines (vertical CJK) as Word writes vertical text: a borderless cell of
 * the block's size whose text runs top to bottom, lines right to left.
 */
function verticalBlockOf(block: Block, dpi: number, maxWidth: number): Table {
  // Word adds cell margins and sets each column at the line pitch: room to spare keeps the last column on the page.
  const width = Math.min(maxWidth, Math.round(toTwips(block.box.w, dpi) * 1.3) + 400);
  return new Table({
    borders: TableBorders.NONE,
    width: { size: width, type: WidthType.DXA },
    columnWidths: [width],
    rows: [new TableRow({
      height: { value: toTwips(block.box.h, dpi) + 200, rule: HeightRule.ATLEAST },
      children: [new TableCell({ children: [paragraphOf(block.lines, dpi, block.kind === 'heading')], textDirection: TextDirection.TOP_TO_BOTTOM_RIGHT_TO_LEFT, width: { size: width, type: WidthType.DXA } })],
    })],
  });
}

function tableOf(block: Block, dpi: number, maxWidth: number): Table {
  const t = block.table!;
  const pxWidths = tableColumnWidths(block);
  const scale = Math.min(1, maxWidth / toTwips(pxWidths.reduce((s, w) => s + w, 0), dpi));
  const widths = pxWidths.map((w) => Math.max(200, Math.round(toTwips(w, dpi) * scale)));
  // Cells merged down from a row above are added by the docx package itself.
  const rows = tableLayout(t).filter((r) => r.length > 0).map((positions) => new TableRow({
    children: positions.map(({ col, cell }) =>
      cellOf(cell, dpi, widths.slice(col, col + (cell?.colSpan ?? 1)).reduce((s, w) => s + w, 0))),
  }));
  return new Table({ rows, columnWidths: widths, width: { size: widths.reduce((s, w) => s + w, 0), type: WidthType.DXA } });
}

/** A page as Word sections: the first starts a new page, the rest continue it with their columns. */
function sectionsOf(read: Page) {
  // A page that could not be read has no size: give it a Letter page so the count still matches.
  const page = read.width > 0 && read.height > 0 ? read : { ...read, dpi: 300, width: 2550, height: 3300 };
  const dpi = page.dpi;
  const content = contentBox(page);
  const clamp = (px: number) => Math.min(MAX_MARGIN_IN * 1440, Math.max(MIN_MARGIN_IN * 1440, toTwips(px, dpi)));
  const margin = {
    left: clamp(content.x), right: clamp(page.width - content.x - content.w),
    top: clamp(content.y), bottom: clamp(page.height - content.y - content.h),
  };
  const size = { width: toTwips(page.width, dpi), height: toTwips(page.height, dpi) };
  const textWidth = size.width - margin.left - margin.right;
  const runs = columnRuns(page);
  if (runs.length === 0) runs.push({ blocks: [], columns: 1, column: [], gap: 0 });
  return runs.map((run, r) => {
    const space = Math.max(144, toTwips(run.gap, dpi));
    const columnWidth = (textWidth - space * (run.columns - 1)) / run.columns;
    const children: (Paragraph | Table)[] = [];
    const top = Math.min(...run.blocks.map((b) => b.box.y));
    let bottom = r === 0 ? content.y : top;
    run.blocks.forEach((b, i) => {
      if (i > 0 && run.column[i] > run.column[i - 1]) {
        children.push(new Paragraph({ children: [new ColumnBreak()] }));
        bottom = top;
      }
      if (b.kind === 'table' && b.table) children.push(tableOf(b, dpi, columnWidth));
      else if (b.lines.some((l) => l.vertical)) children.push(verticalBlockOf(b, dpi, columnWidth));
      else children.push(paragraphOf(b.lines, dpi, b.kind === 'heading', b.box.y - bottom));
      bottom = Math.max(bottom, b.box.y + b.box.h);
    });
    if (children.length === 0) children.push(new Paragraph({ children: [] }));
    return {
      properties: {
        type: r === 0 ? SectionType.NEXT_PAGE : SectionType.CONTINUOUS,
        page: { size, margin },
        column: run.columns > 1 ? { count: run.columns, space, equalWidth: true } : undefined,
      },
      children,
    };
  });
}

export function createDocxRenderer(): Renderer {
  return {
    format: 'docx',
    async render(input) {
      const { pages } = await structuredDocument(input);
      const document = new Document({
        creator: 'docr',
        sections: pages.length ? pages.flatMap((p) => sectionsOf(uprightPage(p))) : [{ children: [new Paragraph({ children: [] })] }],
      });
      return Packer.toBuffer(document);
    },
  };
}
