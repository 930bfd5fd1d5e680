/**
 * How many bytes a PDF page's drawing instructions inflate to (its content streams and the
 * form XObjects it draws), counted before MuPDF interprets them: a few MB of Flate can hold a
 * gigabyte of operators, which MuPDF would parse for a minute on every pass over the page.
 * Counting stops at the cap, so a bomb costs at most `cap` bytes of inflating.
 */
import { constants, inflateSync } from 'node:zlib';
import type * as mupdf from 'mupdf';
import { DocrError } from '../../domain/errors.js';

/** Form XObjects nest; deeper than this is refused by MuPDF anyway. */
const MAX_FORM_DEPTH = 16;

/** The object a reference points at (mupdf.js cannot resolve its Null object). */
const deref = (o: mupdf.PDFObject): mupdf.PDFObject => (o.isIndirect() ? o.resolve() : o);

function filters(stream: mupdf.PDFObject): string[] {
  const f = deref(stream.get('Filter'));
  if (f.isName()) return [f.asName()];
  const names: string[] = [];
  if (f.isArray()) f.forEach((v) => { const n = deref(v); if (n.isName()) names.push(n.asName()); });
  return names;
}

/**
 * Inflated size of one stream, at most `room + 1` (past the cap the exact figure is moot).
 * Only Flate is inflated here; other filters count their raw size (MuPDF decodes them).
 */
function streamBytes(ref: mupdf.PDFObject, room: number): number {
  const raw = ref.readRawStream(); // MuPDF reads a stream through its indirect reference
  try {
    const f = filters(deref(ref));
    if (f[0] !== 'FlateDecode' && f[0] !== 'Fl') return raw.getLength();
    // A view into MuPDF's heap, read before anything else can grow (and move) it.
    return inflateSync(raw.asUint8Array(), { maxOutputLength: Math.max(1, room + 1), finishFlush: constants.Z_SYNC_FLUSH }).length;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return room + 1;
    return raw.getLength(); // damaged Flate: MuPDF reads what it can, which is no bomb
  } finally {
    raw.destroy();
  }
}

/**
 * Throws OUTSIDE_LIMITS when page `index` (0-based) draws more than `cap` inflated bytes of
 * content. A page that is not a plain PDF page object (damaged tree) is left to MuPDF.
 */
export function checkPageContentSize(doc: mupdf.PDFDocument, index: number, cap: number): void {
  let total = 0;
  const seen = new Set<number>();
  const count = (ref: mupdf.PDFObject) => {
    if (!ref.isIndirect() || seen.has(ref.asIndirect()) || !ref.isStream()) return; // isStream, like readRawStream, wants the reference
    seen.add(ref.asIndirect());
    total += streamBytes(ref, cap - total);
    if (total > cap) {
      throw new DocrError('OUTSIDE_LIMITS',
        `Page ${index + 1} of the PDF draws more than ${Math.round(cap / 1048576)} MB of content once decompressed; docr reads pages up to that size.`,
        { page: index + 1, maxPageContentBytes: cap });
    }
  };
  const visitForms = (resources: mupdf.PDFObject, depth: number) => {
    const dict = deref(resources);
    if (!dict.isDictionary() || depth > MAX_FORM_DEPTH) return;
    const xobjects = deref(dict.get('XObject'));
    if (!xobjects.isDictionary()) return;
    xobjects.forEach((ref) => {
      const x = deref(ref);
      if (!ref.isStream() || deref(x.get('Subtype')).toString() !== '/Form') return;
      if (!ref.isIndirect() || seen.has(ref.asIndirect())) return;
      count(ref);
      visitForms(x.get('Resources'), depth + 1);
    });
  };
  const page = deref(doc.findPage(index));
  if (!page.isDictionary()) return;
  const contents = deref(page.get('Contents'));
  if (contents.isArray()) contents.forEach((c) => count(c));
  else count(page.get('Contents'));
  visitForms(page.getInheritable('Resources'), 0);
}
