/**
 * hocr (docr extra): hOCR 1.2 XHTML — ocr_page, ocr_carea, ocr_par, ocr_line, ocrx_word
 * with bbox, x_wconf and x_size; table blocks as an ocr_table holding an HTML table whose
 * cells carry their rowspan/colspan and lines. Headings are ocr_par with class ocr_header.
 */
import type { Block, Box, Line, OcrDocument, Page } from '../../domain/ocr-tree.js';
import type { Renderer } from '../../ports/renderer.js';
import { tableLayout } from '../metrics.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const bbox = (b: Box): string =>
  `bbox ${Math.round(b.x)} ${Math.round(b.y)} ${Math.round(b.x + b.w)} ${Math.round(b.y + b.h)}`;

class Ids {
  private n = new Map<string, number>();
  next(kind: string, page: number): string {
    const k = (this.n.get(kind) ?? 0) + 1;
    this.n.set(kind, k);
    return `${kind}_${page}_${k}`;
  }
}

function lineHtml(line: Line, page: number, ids: Ids): string {
  const words = line.words.length ? line.words : [{ text: line.text, box: line.box, confidence: line.confidence }];
  const spans = words.map((w) =>
    `<span class="ocrx_word" id="${ids.next('word', page)}" title="${bbox(w.box)}; x_wconf ${Math.round(w.confidence * 100)}">${esc(w.text)}</span>`);
  return `<span class="ocr_line" id="${ids.next('line', page)}" title="${bbox(line.box)}; x_size ${Math.round(line.box.h)}">${spans.join(' ')}</span>`;
}

function tableHtml(block: Block, page: number, ids: Ids): string {
  const t = block.table!;
  const rows = tableLayout(t).map((positions) => {
    const tds = positions.map(({ cell: c }) => {
      if (!c) return '<td></td>';
      const span = `${c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : ''}${c.colSpan > 1 ? ` colspan="${c.colSpan}"` : ''}`;
      return `<td${span} title="${bbox(c.box)}">${c.lines.map((l) => lineHtml(l, page, ids)).join('<br/>')}</td>`;
    });
    return `<tr>${tds.join('')}</tr>`;
  });
  return `<table class="ocr_table" id="${ids.next('table', page)}" title="${bbox(block.box)}">${rows.join('\n')}</table>`;
}

function blockHtml(block: Block, page: number, ids: Ids): string {
  if (block.kind === 'table' && block.table) return tableHtml(block, page, ids);
  const cls = block.kind === 'heading' ? 'ocr_par ocr_header' : 'ocr_par';
  const lines = block.lines.map((l) => lineHtml(l, page, ids)).join('\n');
  return `<div class="ocr_carea" id="${ids.next('block', page)}" title="${bbox(block.box)}">\n<p class="${cls}" id="${ids.next('par', page)}" title="${bbox(block.box)}">\n${lines}\n</p>\n</div>`;
}

function pageHtml(page: Page): string {
  const ids = new Ids();
  const title = `bbox 0 0 ${page.width} ${page.height}; ppageno ${page.index - 1}; scan_res ${page.dpi} ${page.dpi}`;
  return `<div class="ocr_page" id="page_${page.index}" title="${title}">\n${page.blocks.map((b) => blockHtml(b, page.index, ids)).join('\n')}\n</div>`;
}

export function renderHocr(doc: OcrDocument): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
<title>docr</title>
<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
<meta name="ocr-system" content="docr"/>
<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocr_table"/>
</head>
<body>
${doc.pages.map(pageHtml).join('\n')}
</body>
</html>
`;
}

export function createHocrRenderer(): Renderer {
  return {
    format: 'hocr',
    async render({ doc }) {
      return Buffer.from(renderHocr(doc), 'utf8');
    },
  };
}
