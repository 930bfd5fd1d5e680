/**
 * Image handling details: EXIF orientation applied, transparency flattened on white, BMP
 * through MuPDF, and a very large (but allowed) image read with bounded memory.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { DocrError } from '../../src/domain/errors.js';
import { createNormaliser } from '../../src/normalisers/index.js';
import type { PageImage } from '../../src/ports/ocr-engine.js';
import { CORPUS } from './normalise-corpus.js';

describe('normalise: images', () => {
  const n = createNormaliser({ officeWarm: false });
  let workDir: string;
  before(async () => { workDir = await mkdtemp(path.join(os.tmpdir(), 'docr-normalise-images-')); });
  after(async () => { await n.close(); await rm(workDir, { recursive: true, force: true }); });

  async function firstImage(file: string): Promise<PageImage> {
    const doc = await n.open({ path: file, workDir });
    try {
      for await (const p of doc.pages()) return p.image!;
      throw new Error('no page');
    } finally { await doc.close(); }
  }

  test('EXIF orientation is applied (a 6 = 90° clockwise JPEG comes out upright, sides swapped)', async () => {
    const file = path.join(workDir, 'rotated.jpg');
    await sharp(path.join(CORPUS, 'images-en/pytesseract_test.jpg')).withMetadata({ orientation: 6 }).jpeg().toFile(file);
    const img = await firstImage(file);
    const meta = await sharp(path.join(CORPUS, 'images-en/pytesseract_test.jpg')).metadata();
    assert.deepEqual([img.width, img.height], [meta.height, meta.width]);
    await rm(file);
  });

  test('transparency is flattened on white (black text on a transparent background stays readable)', async () => {
    const img = await firstImage(path.join(CORPUS, 'images-en/tessjs_cosmic.png'));
    const { data, info } = await sharp(img.data).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.channels, 3, 'no alpha left');
    const corner = [...data.subarray(0, 3)];
    assert.deepEqual(corner, [255, 255, 255]);
    assert.ok(data.some((v) => v < 64), 'the dark text is still there');
  });

  test('a multi-page TIFF gives one page per TIFF page', async () => {
    const file = path.join(workDir, 'two-pages.tiff');
    const page = await sharp(path.join(CORPUS, 'formats/pytesseract_test-gif.gif')).png().toBuffer();
    await sharp([page, page], { join: { animated: true } }).tiff().toFile(file);
    const doc = await n.open({ path: file, workDir });
    const seen: number[] = [];
    try {
      for await (const p of doc.pages()) { seen.push(p.index); assert.deepEqual([p.image!.width, p.image!.height], [640, 480]); }
    } finally { await doc.close(); }
    assert.equal(doc.kind, 'tiff');
    assert.deepEqual(seen, [1, 2]);
    await rm(file);
  });

  test('BMP (which libvips cannot read) is decoded through MuPDF', async () => {
    const img = await firstImage(path.join(CORPUS, 'formats/pytesseract_test-bmp.bmp'));
    assert.deepEqual([img.width, img.height], [640, 480]);
  });

  test('a BMP cut short (273 of its 1,086 bytes) or with an impossible palette is INVALID_FILE, not a picture of noise', async () => {
    const good = await readFile(path.join(CORPUS, 'formats/bmpsuite_g_pal1.bmp'));
    const short = path.join(workDir, 'short.bmp');
    await writeFile(short, good.subarray(0, 273));
    const palette = Buffer.from(good);
    palette.writeUInt32LE(0x01000000, 46); // biClrUsed: 16 M colours for 1-bit pixels
    const badPalette = path.join(workDir, 'bad-palette.bmp');
    await writeFile(badPalette, palette);
    for (const [file, why] of [[short, /cut short/], [badPalette, /palette/]] as const) {
      await assert.rejects(n.open({ path: file, workDir }), (e: unknown) => e instanceof DocrError && e.code === 'INVALID_FILE' && why.test(e.message));
    }
  });

  test('a 20000 × 14000 image (over sharp\'s default pixel limit) is downscaled with bounded memory', async () => {
    const file = path.join(workDir, 'huge.png');
    await sharp({ create: { width: 20000, height: 14000, channels: 3, background: '#ffffff' }, limitInputPixels: false })
      .png({ compressionLevel: 1 }).toFile(file);
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
    try {
      const img = await firstImage(file);
      assert.ok(img.width * img.height <= 40_000_000 && Math.max(img.width, img.height) <= 10_000);
      assert.ok(Math.abs(img.width / img.height - 20000 / 14000) < 0.01, 'aspect ratio kept');
      assert.ok(img.dpi < 300, 'the dpi follows the downscale');
    } finally { clearInterval(timer); await rm(file); }
    assert.ok(peak < 1.2e9, `peak RSS ${Math.round(peak / 1e6)} MB`);
  });
});
