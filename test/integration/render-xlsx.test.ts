import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { cer } from '../../bench/lib/cer.js';
import { createRenderers } from '../../src/renderers/index.js';
import { renderTxt } from '../../src/renderers/txt/index.js';
import { htmlCellText, renderSuite } from './render-read-back.js';

const renderer = createRenderers();
const suite = renderSuite();

const zhTable = () => suite.byName('zh-table-pdf');

test('xlsx opens in LibreOffice with one sheet per page and reads back as the txt result', async () => {
  for (const c of suite.cases()) {
    const xlsx = await renderer('xlsx').render(c.input);
    const html = (await suite.lo().convert(xlsx, 'xlsx', 'html')).toString('utf8');
    const e = cer(htmlCellText(html), renderTxt(c.input.doc), 'cjk');
    assert.ok(e <= 0.05, `${c.name}: CER ${e.toFixed(3)}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    assert.equal(wb.worksheets.length, c.input.doc.pages.length, c.name);
  }
});

test('xlsx: the table page is laid out cell by cell', async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await renderer('xlsx').render(zhTable().input)) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  let at: ExcelJS.Cell | undefined;
  ws.eachRow((row) => row.eachCell((cell) => { if (cell.value === 2.5) at = cell; }));
  assert.ok(at, 'the 2.5000 figure has a cell of its own, as a number');
  assert.equal(at.numFmt, '0.0000', 'shown with the digits read');
  const row = ws.getRow(Number(at.row)), col = Number(at.col);
  assert.equal(row.getCell(col - 1).text, '八');
  assert.equal(row.getCell(col + 1).text, '60000≤Q＜80000');
  assert.equal(row.getCell(col - 2).text, '高速公路');
  assert.ok(Object.keys((ws as unknown as { _merges: object })._merges).length >= 5, 'merged cells for spans');
});
