/**
 * xlsx: one worksheet per page. Text lines go one per row in reading order (a blank row
 * between blocks); a table block is laid out cell by cell from the current row, with
 * merged ranges for spanning cells. Plain numbers become numeric cells whose format keeps
 * the digits as read ("2.5000" stays 2.5000).
 */
import ExcelJS from 'exceljs';
import type { Block, Page } from '../../domain/ocr-tree.js';
import type { Renderer } from '../../ports/renderer.js';
import { tableColumnWidths, toInches } from '../metrics.js';
import { lineText } from '../text.js';
import { structuredDocument } from '../structure.js';
import { uprightPage } from '../../domain/page-turn.js';

/** Excel column width units (characters of the default font) per inch. */
const CHARS_PER_INCH = 13.7;
const NUMBER = /^-?(0|[1-9]\d{0,14})(\.(\d{1,10}))?$/;

function setValue(cell: ExcelJS.Cell, text: string): void {
  const m = NUMBER.exec(text);
  if (m) {
    cell.value = Number(text);
    cell.numFmt = m[3] ? `0.${'0'.repeat(m[3].length)}` : '0';
  } else {
    cell.value = text;
  }
}

/** Writes a table at `top` (1-based row); returns the next free row. */
function writeTable(ws: ExcelJS.Worksheet, block: Block, top: number, dpi: number, widths: number[]): number {
  const t = block.table!;
  tableColumnWidths(block).forEach((w, c) => {
    widths[c] = Math.max(widths[c] ?? 0, Math.min(60, Math.max(6, toInches(w, dpi) * CHARS_PER_INCH)));
  });
  for (const cell of t.cells) {
    const r = top + cell.row, c = 1 + cell.col;
    const lines = cell.lines.map(lineText).filter((s) => s !== '');
    const target = ws.getCell(r, c);
    setValue(target, lines.length > 1 ? lines.join('\n') : lines[0] ?? '');
    target.alignment = { wrapText: lines.length > 1, vertical: 'top' };
    if (cell.rowSpan > 1 || cell.colSpan > 1) ws.mergeCells(r, c, r + cell.rowSpan - 1, c + cell.colSpan - 1);
  }
  return top + t.rows;
}

function writePage(wb: ExcelJS.Workbook, page: Page): void {
  const ws = wb.addWorksheet(`Page ${page.index}`);
  const widths: number[] = [];
  let row = 1;
  for (const block of page.blocks) {
    if (row > 1) row++; // a blank row between blocks
    if (block.kind === 'table' && block.table) {
      row = writeTable(ws, block, row, page.dpi, widths);
      continue;
    }
    for (const line of block.lines) {
      const text = lineText(line);
      if (text === '') continue;
      setValue(ws.getCell(row, 1), text);
      if (block.kind === 'heading') ws.getCell(row, 1).font = { bold: true };
      row++;
    }
  }
  widths.forEach((w, i) => { ws.getColumn(i + 1).width = Math.round(w); });
}

export function createXlsxRenderer(): Renderer {
  return {
    format: 'xlsx',
    async render(input) {
      const doc = await structuredDocument(input);
      const wb = new ExcelJS.Workbook();
      wb.creator = 'docr';
      for (const page of doc.pages) writePage(wb, uprightPage(page));
      if (doc.pages.length === 0) wb.addWorksheet('Page 1');
      return Buffer.from(await wb.xlsx.writeBuffer());
    },
  };
}

