/**
 * Normaliser limits and failure paths: memory on the hostile folder, page/pixel limits,
 * downscaling, a zip bomb, LibreOffice timing out and recovering, unsupported content.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createNormaliser } from '../../src/normalisers/index.js';
import { CORPUS, manifest, normalise, allowed, casesOf, describeOutcome } from './normalise-corpus.js';

/** A minimal zip writer (deflate), enough to build OOXML-shaped packages. */
function zip(parts: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [], centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(parts)) {
    const comp = deflateRawSync(data);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(comp.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(comp.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, comp); centrals.push(central, n);
    offset += 30 + n.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(parts).length, 8); end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
const CONTENT_TYPES = Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');

describe('normalise: limits and failures', () => {
  let workDir: string;
  before(async () => { workDir = await mkdtemp(path.join(os.tmpdir(), 'docr-normalise-limits-')); });
  after(async () => { await rm(workDir, { recursive: true, force: true }); });

  test('the hostile folder ends as the manifest says with bounded memory', async (t) => {
    const n = createNormaliser({ officeWarm: false });
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
    try {
      for (const f of manifest.files.filter((x) => x.kind === 'hostile')) {
        for (const c of casesOf(f)) {
          const outcome = await normalise(n, path.join(CORPUS, f.path), c.password, workDir);
          assert.ok(allowed(c.expected, outcome), `${f.path}: expected ${c.expected}, got ${describeOutcome(outcome)}`);
        }
      }
    } finally {
      clearInterval(timer);
      await n.close();
    }
    t.diagnostic(`peak RSS over the hostile folder: ${Math.round(peak / 1e6)} MB`);
    assert.ok(peak < 1.5e9, `peak RSS ${Math.round(peak / 1e6)} MB`);
    assert.deepEqual(await readdir(workDir), []);
  });

  test('page, pixel and size limits', async () => {
    const pages = createNormaliser({ officeWarm: false, limits: { maxPages: 3 } });
    const four = await normalise(pages, path.join(CORPUS, 'pdf/samplefiles_pdflatex-4-pages.pdf'), undefined, workDir);
    assert.ok(!four.ok && four.code === 'OUTSIDE_LIMITS', describeOutcome(four));

    const pixels = createNormaliser({ officeWarm: false, limits: { maxTotalPixels: 10_000_000 } });
    const scans = await normalise(pixels, path.join(CORPUS, 'pdf/ocrmypdf_multipage.pdf'), undefined, workDir);
    assert.ok(!scans.ok && scans.code === 'OUTSIDE_LIMITS', describeOutcome(scans));

    const side = createNormaliser({ officeWarm: false, limits: { maxImageSide: 600 } });
    const big = await normalise(side, path.join(CORPUS, 'formats/pytesseract_test-gif.gif'), undefined, workDir);
    assert.ok(!big.ok && big.code === 'OUTSIDE_LIMITS' && big.state === -14, describeOutcome(big));

    const small = createNormaliser({ officeWarm: false, limits: { maxPageSide: 320 } });
    const down = await normalise(small, path.join(CORPUS, 'formats/pytesseract_test-gif.gif'), undefined, workDir);
    assert.ok(down.ok);
    assert.deepEqual([down.pages[0].image!.width, down.pages[0].image!.height, down.pages[0].image!.dpi], [320, 240, 150]);
    assert.deepEqual(await readdir(workDir), []);
  });

  test('zip bombs and non-Office zips are refused before LibreOffice', async () => {
    const n = createNormaliser({ officeWarm: false, limits: { maxOoxmlUncompressedBytes: 8 * 1024 * 1024 } });
    try {
      const bomb = path.join(workDir, 'bomb.docx');
      await writeFile(bomb, zip({ '[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': Buffer.alloc(16 * 1024 * 1024, 0x20) }));
      const o = await normalise(n, bomb, undefined, workDir);
      assert.ok(!o.ok && o.code === 'OUTSIDE_LIMITS', describeOutcome(o));
      await rm(bomb);

      const plain = path.join(workDir, 'photos.zip');
      await writeFile(plain, zip({ 'a.txt': Buffer.from('hello') }));
      const z = await normalise(n, plain, undefined, workDir);
      assert.ok(!z.ok && z.code === 'UNSUPPORTED_FORMAT' && z.state === -7, describeOutcome(z));
      await rm(plain);

      const text = path.join(workDir, 'notes.txt');
      await writeFile(text, 'just some text\n');
      const t = await normalise(n, text, undefined, workDir);
      assert.ok(!t.ok && t.state === -7 && /unrecognised content/.test(t.message), describeOutcome(t));
      await rm(text);
    } finally { await n.close(); }
  });

  test('a LibreOffice timeout ends as INVALID_FILE, leaves nothing behind, and the next conversion works', async () => {
    const docx = path.join(CORPUS, 'office/tika_testWORD_docx.docx');
    for (const officeWarm of [false, true]) {
      // Warm: the job runs inside the standby, which the timeout must stop as well.
      const hasty = createNormaliser({ officeTimeoutMs: 50, officeWarm });
      try {
        const o = await normalise(hasty, docx, undefined, workDir);
        assert.ok(!o.ok && o.code === 'INVALID_FILE' && /could not be converted/.test(o.message), describeOutcome(o));
        assert.deepEqual(await readdir(workDir), []);
      } finally { await hasty.close(); }
    }
    const patient = createNormaliser();
    try {
      const o = await normalise(patient, docx, undefined, workDir);
      assert.ok(o.ok && o.text.includes('Sample Word Document'), describeOutcome(o));
    } finally { await patient.close(); }
  });

  test('an aborted task stops with CANCELLED', async () => {
    const n = createNormaliser({ officeWarm: false });
    const ac = new AbortController();
    const doc = await n.open({ path: path.join(CORPUS, 'pdf/samplefiles_pdflatex-4-pages.pdf'), workDir, signal: ac.signal });
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const p of doc.pages()) { seen.push(p.index); ac.abort(); }
    }, (e: Error & { code?: string }) => e.code === 'CANCELLED');
    assert.deepEqual(seen, [1]);
    await doc.close();
    await n.close();
  });
});
