/**
 * The glyphless font of Tesseract's PDF renderer (tessdata/pdf.ttf, Apache-2.0): a 572-byte
 * TrueType font whose one glyph is empty. Used as an Identity-H CID font whose character
 * codes are UTF-16 code units, every code mapped to that glyph (CIDToGIDMap) and back to
 * Unicode through an identity ToUnicode CMap, so any script — Chinese included — extracts
 * with pdftotext without embedding a real font (issue 5: real CJK fonts through pdf-lib
 * were invalid or dropped text). Each glyph is 500/1000 em wide; callers scale runs with Tz.
 */
import { deflateSync } from 'node:zlib';
import { PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import { GLYPH_ASCENT } from '../line-geometry.js';

const GLYPHLESS_TTF_BASE64 =
  'AAEAAAAKAIAAAwAgT1MvMlbeyJQAAAEoAAAAYGNtYXAACgA0AAABkAAAAB5nbHlmFSJBJAAAAbgAAAAYaGVhZAt48WUAAACsAAAA' +
  'NmhoZWEMAgQCAAAA5AAAACRobXR4BAAAAAAAAYgAAAAIbG9jYQAMAAAAAAGwAAAABm1heHAABAAFAAABCAAAACBuYW1l8usW2gAA' +
  'AdAAAABLcG9zdAABAAEAAAIcAAAAIAABAAAAAQAAsJRxEF8PPPUEBwgAAAAAAM+a/G4AAAAA1MOn8gAAAAAEAAgAAAAAEAACAAAA' +
  'AAAAAAEAAAgA//8AAAQAAAAAAAQAAAEAAAAAAAAAAAAAAAAAAAACAAEAAAACAAQAAQAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAwAA' +
  'AZAABQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAUAAQABAAAAAAAAAAAAAAAAAAAAAAAAAAAAR09PRwBAAAAAAAAB//8AAAABAAGA' +
  'AAAAAAAAAAAAAAAAAAABAAAAAAAABAAAAAAAAAIAAQAAAAAAFAADAAAAAAAUAAYACgAAAAAAAAAAAAAAAAAMAAAAAQAAAAAEAAgA' +
  'AAMAADEhESEEAPwACAAAAAADACoAAAADAAAABQAWAAAAAQAAAAAABQALABYAAwABBAkABQAWAAAAVgBlAHIAcwBpAG8AbgAgADEA' +
  'LgAwVmVyc2lvbiAxLjAAAAEAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAA=';

/** Advance of every glyph, in thousandths of the font size. */
export const GLYPH_WIDTH = 500;
/**
 * Ascent and descent come from line-geometry.ts (GLYPH_ASCENT): viewers draw selection and
 * search highlights from the font's ascent to its descent, so with a text layer sized to the
 * ink (text-layer.ts) a highlight covers ascenders and descenders, as over a real font.
 */

const TO_UNICODE_CMAP = `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`;

/** Every CID (0..65535) → glyph 1, the empty glyph. */
function cidToGidMap(): Uint8Array {
  const map = new Uint8Array(65536 * 2);
  for (let i = 1; i < map.length; i += 2) map[i] = 1;
  return map;
}

/** Registers the font's objects in `context`; returns the Type0 font to put in page resources. */
export function addGlyphlessFont(context: PDFContext): PDFRef {
  const ttf = Buffer.from(GLYPHLESS_TTF_BASE64, 'base64');
  const fontFile = context.register(
    context.stream(deflateSync(ttf), { Filter: 'FlateDecode', Length1: ttf.length }),
  );
  const ascent = Math.round(GLYPH_ASCENT * 1000), descent = ascent - 1000;
  const descriptor = context.register(context.obj({
    Type: 'FontDescriptor', FontName: 'GlyphLessFont', Flags: 5, FontBBox: [0, descent, GLYPH_WIDTH, ascent],
    ItalicAngle: 0, Ascent: ascent, Descent: descent, CapHeight: 700, StemV: 80, FontFile2: fontFile,
  }));
  const gidMap = context.register(context.stream(deflateSync(cidToGidMap()), { Filter: 'FlateDecode' }));
  const cidSystemInfo = context.obj({ Ordering: PDFString.of('Identity'), Registry: PDFString.of('Adobe'), Supplement: 0 });
  const cidFont = context.register(context.obj({
    Type: 'Font', Subtype: 'CIDFontType2', BaseFont: 'GlyphLessFont', CIDToGIDMap: gidMap,
    CIDSystemInfo: cidSystemInfo, FontDescriptor: descriptor, DW: GLYPH_WIDTH,
  }));
  const toUnicode = context.register(context.flateStream(TO_UNICODE_CMAP));
  const font = context.obj({
    Type: 'Font', Subtype: 'Type0', BaseFont: 'GlyphLessFont', Encoding: 'Identity-H',
    DescendantFonts: [cidFont], ToUnicode: toUnicode,
  });
  return context.register(font);
}
