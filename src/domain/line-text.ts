/**
 * The text of a line from its words, one rule for every engine and renderer. Scripts written
 * without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar, Tibetan) put no
 * space between two words of a `cjk` line where either side of the join is a character of
 * such a script; everywhere else, and around embedded Latin words and numbers, words are
 * separated by a space. A space an engine saw in the image travels with the word before it
 * (PP-OCR's CJK lines, Tesseract's lines in those scripts) and is always kept.
 */
const CJK_CHAR = /[\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;
/** Thai, Lao, Tibetan, Myanmar (and its extensions), Khmer (and its symbols). */
const SOUTHEAST_ASIAN_CHAR = /[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f]/u;

export function isCjkChar(ch: string | undefined): boolean {
  return ch !== undefined && CJK_CHAR.test(ch);
}

/** A character of a script that writes no spaces between words. */
export function isUnspacedChar(ch: string | undefined): boolean {
  return ch !== undefined && (CJK_CHAR.test(ch) || SOUTHEAST_ASIAN_CHAR.test(ch));
}

/** True when text is mostly in scripts without word spaces (its line then joins words without them). */
export function isUnspacedText(text: string): boolean {
  const chars = [...text.replace(/\s+/gu, '')];
  if (chars.length === 0) return false;
  return chars.filter(isUnspacedChar).length / chars.length >= 0.3;
}

/** True when a space separates word `a` from the next word `b` (whether inserted or carried by a word). */
export function spaceBetween(a: string, b: string, cjk: boolean): boolean {
  if (/\s$/u.test(a) || /^\s/u.test(b)) return true;
  const before = [...a].at(-1), after = [...b][0];
  return !(cjk && (isUnspacedChar(before) || isUnspacedChar(after)));
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
