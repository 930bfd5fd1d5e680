import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Block, Line, OcrDocument, Word } from '../../src/domain/ocr-tree.js';
import { emptyPage } from '../../src/domain/ocr-tree.js';
import { renderTxt } from '../../src/renderers/txt/index.js';

function word(text: string, x: number): Word {
  return { text, box: { x, y: 0, w: 10, h: 10 }, confidence: 0.9 };
}
function line(words: string[], cjk = false): Line {
  const ws = words.map((t, i) => word(t, i * 20));
  return { text: words.join(' '), box: { x: 0, y: 0, w: 100, h: 10 }, confidence: 0.9, words: ws, cjk };
}
function block(lines: Line[], kind: Block['kind'] = 'text'): Block {
  return { kind, box: { x: 0, y: 0, w: 100, h: 10 * lines.length }, lines };
}

test('txt separates lines, blocks and pages; no spaces between CJK words', () => {
  const p1 = emptyPage(1, 100, 100, 300);
  p1.blocks = [block([line(['Hello', 'world']), line(['second', 'line'])]), block([line(['国家', '标准', 'GB', '2312'], true)])];
  const p2 = emptyPage(2, 100, 100, 300);
  p2.blocks = [block([line(['Page', 'two'])])];
  const doc: OcrDocument = { pages: [p1, p2], languages: ['English'] };
  assert.equal(renderTxt(doc), 'Hello world\nsecond line\n\n国家标准GB 2312\n\fPage two\n');
});

test('txt writes a table row by row with tab-separated cells', () => {
  const p = emptyPage(1, 100, 100, 300);
  const a = line(['a']), b = line(['b']), c = line(['中文'], true), d = line(['d']);
  const cells = [a, b, c, d].map((l, i) => ({ row: Math.floor(i / 2), col: i % 2, rowSpan: 1, colSpan: 1, box: l.box, lines: [l] }));
  p.blocks = [{ ...block([a, b, c, d], 'table'), table: { rows: 2, cols: 2, cells } }];
  assert.equal(renderTxt({ pages: [p], languages: [] }), 'a\tb\n中文\td\n');
});

test('txt keeps one space where an engine carries it with the word (PP-OCR CJK lines)', () => {
  const p = emptyPage(1, 100, 100, 300);
  const l = line(['标准', 'GB ', 'T ', '2312', '中文'], true);
  p.blocks = [block([l])];
  assert.equal(renderTxt({ pages: [p], languages: [] }), '标准GB T 2312中文\n');
});
