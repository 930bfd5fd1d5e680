/**
 * PDF pages that cost far more than they show: fake-bold text (one string overprinted at
 * small offsets) is read once, and a page whose content stream inflates to hundreds of MB
 * is refused up front (size cap) or given up (time cap) instead of being parsed for a minute.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDeflate } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, StandardFonts, type PDFDict } from 'pdf-lib';
import { DocrError } from '../../src/domain/errors.js';
import { createNormaliser } from '../../src/normalisers/index.js';
import type { NormaliserOptions } from '../../src/normalisers/options.js';
import { renderTxt } from '../../src/renderers/txt/index.js';

/** A one-page PDF whose content stream is `mb` MB of spaces and one word, Flate-compressed (~1 KB per MB). */
async function contentBomb(mb: number): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  const deflate = createDeflate({ level: 9 });
  deflate.on('data', (b: Buffer) => parts.push(b));
  const ended = new Promise((r) => deflate.on('end', r));
  const spaces = Buffer.alloc(1 << 20, 0x20);
  for (let i = 0; i < mb; i++) deflate.write(spaces);
  deflate.end('BT /F1 12 Tf 10 10 Td (bomb) Tj ET');
  await ended;
  const data = Buffer.concat(parts);
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([300, 300]);
  const stream = PDFRawStream.of(pdf.context.obj({ Filter: 'FlateDecode', Length: data.length }) as PDFDict, data);
  page.node.set(PDFName.of('Contents'), pdf.context.register(stream));
  return pdf.save();
}

describe('normalise: PDF pages that cost more than they show', () => {
  let workDir: string;
  before(async () => { workDir = await mkdtemp(path.join(os.tmpdir(), 'docr-pdf-guards-')); });
  after(async () => { await rm(workDir, { recursive: true, force: true }); });

  async function outcome(bytes: Uint8Array, options: NormaliserOptions = {}): Promise<string> {
    const n = createNormaliser({ officeWarm: false, ...options });
    const file = path.join(workDir, `in-${Math.random().toString(36).slice(2)}.pdf`);
    await writeFile(file, bytes);
    try {
      const doc = await n.open({ path: file, workDir });
      const pages = [];
      try { for await (const p of doc.pages()) pages.push(p.textPage!); } finally { await doc.close(); }
      return renderTxt({ pages, languages: ['English'] });
    } catch (e) {
      return e instanceof DocrError ? `${e.code}: ${e.message}` : `thrown: ${String(e)}`;
    } finally { await n.close(); await rm(file, { force: true }); }
  }

  test('fake-bold text (the same string drawn four times a quarter point apart) comes out once', async () => {
    const pdf = await PDFDocument.create();
    const page = pdf.addPage([400, 200]);
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (const [dx, dy] of [[0, 0], [0.25, 0], [0, 0.25], [0.25, 0.25]]) page.drawText('Quarterly report 2024', { x: 40 + dx, y: 120 + dy, size: 14, font });
    page.drawText('Sales rose in all regions', { x: 40, y: 80, size: 14, font });
    const text = await outcome(await pdf.save());
    assert.equal(text.split('Quarterly report 2024').length - 1, 1, text);
    assert.match(text, /Sales rose in all regions/);
    assert.doesNotMatch(text, /QQ|rreeppoorrtt/);
  });

  test('a page whose content inflates past the cap is OUTSIDE_LIMITS before MuPDF parses it', async () => {
    const bomb = await contentBomb(200);
    const result = await outcome(bomb, { limits: { maxPageContentBytes: 64 * 1024 * 1024 } });
    assert.match(result, /^OUTSIDE_LIMITS: Page 1 of the PDF draws more than 64 MB/);
    assert.match(await outcome(bomb, { limits: { maxPageContentBytes: 256 * 1024 * 1024 } }), /bomb/, 'under the cap the page is read');
  });

  test('a page that takes longer than the page time limit to interpret is given up', async () => {
    // Under the content cap, so that only the time limit can stop it.
    const result = await outcome(await contentBomb(200), { pageTimeoutMs: 100, limits: { maxPageContentBytes: 256 * 1024 * 1024 } });
    assert.match(result, /^OUTSIDE_LIMITS: Page 1 of the PDF takes longer than 0 s/);
  });
});
