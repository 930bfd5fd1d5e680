/**
 * Which recogniser classes a language set may produce. The PP-OCRv4 Chinese model reads
 * Chinese, English and digits together; restricting its output to the requested scripts
 * removes look-alike substitutions (a full-width comma or a CJK glyph inside English text),
 * and `Digits` alone restricts it to digits and their separators.
 */
export const DIGIT_CHARS = '0123456789.,-+/: ';

function isLatinSide(cp: number): boolean {
  return cp < 0x250 // Basic Latin, Latin-1, Latin Extended-A/B
    || (cp >= 0x2000 && cp < 0x2070) // general punctuation: dashes, quotes, ellipsis
    || (cp >= 0x20a0 && cp < 0x20d0) // currency signs
    || (cp >= 0x2100 && cp < 0x2200); // letterlike symbols and number forms (№, ™, ⅓)
}

/** 1 where the class may be emitted; undefined when every class may (Chinese requested). Index 0 (blank) is always allowed. */
export function allowedClasses(charset: readonly string[], languages: readonly string[]): Uint8Array | undefined {
  const names = new Set(languages);
  if (names.has('ChinesePRC')) return undefined;
  const digitsOnly = !names.has('English');
  const mask = new Uint8Array(charset.length);
  mask[0] = 1;
  for (let i = 1; i < charset.length; i++) {
    const ch = charset[i];
    const cp = ch.codePointAt(0) ?? 0;
    mask[i] = digitsOnly ? (DIGIT_CHARS.includes(ch) ? 1 : 0) : (isLatinSide(cp) ? 1 : 0);
  }
  return mask;
}
