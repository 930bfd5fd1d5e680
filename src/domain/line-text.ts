/**
 * The text of a line from its words, one rule for every engine and renderer: a space between
 * two words, except where the line is CJK and either side of the join is a CJK character,
 * or where a word already carries the space (engines that keep spaces with the word before
 * them, as PP-OCR's CJK lines do).
 */
const CJK_CHAR = /[\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

export function isCjkChar(ch: string | undefined): boolean {
  return ch !== undefined && CJK_CHAR.test(ch);
}

/** True when a space separates word `a` from the next word `b` (whether inserted or carried by a word). */
export function spaceBetween(a: string, b: string, cjk: boolean): boolean {
  if (/\s$/u.test(a) || /^\s/u.test(b)) return true;
  const before = [...a].at(-1), after = [...b][0];
  return !(cjk && (isCjkChar(before) || isCjkChar(after)));
}

export function joinWordTexts(texts: readonly string[], cjk: boolean): string {
  const words = texts.filter((t) => t.trim() !== '');
  let out = '';
  words.forEach((t, i) => {
    out += t.trim();
    if (i + 1 < words.length && spaceBetween(t, words[i + 1], cjk)) out += ' ';
  });
  return out;
}
