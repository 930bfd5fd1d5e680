/**
 * Letter/digit look-alikes the recogniser confuses, corrected only where the token around them
 * says which was meant: in a token that is otherwise a number (an amount, a date, a time, a
 * code of digits: `475OO`, `1O.00`) O and o are 0 and I, l and | are 1; in a word that is
 * otherwise letters (`B0ARD`, `r0ot`), 0 is O. A token mixing other letters and digits (`SH01`,
 * `2PCS`, `NO.5`) is a code and stays as read.
 */
const TO_DIGIT: Readonly<Record<string, string>> = { O: '0', o: '0', I: '1', l: '1', '|': '1' };
const SEPARATOR = /[.,:/-]/;

function asNumber(chars: string[]): string[] | undefined {
  let digits = 0, swaps = 0;
  for (const c of chars) {
    if (/\d/.test(c)) digits++;
    else if (TO_DIGIT[c]) swaps++;
    else if (!SEPARATOR.test(c)) return undefined;
  }
  if (swaps === 0 || digits === 0) return undefined;
  const fixed = chars.map((c) => TO_DIGIT[c] ?? c);
  // Mostly digits already, or a number with separators once corrected (`1O.OO`, `O2/O1`).
  return swaps <= digits && digits >= 2 || /^\d+([.,:/-]\d+)+$/.test(fixed.join('')) ? fixed : undefined;
}

function asWord(chars: string[]): string[] | undefined {
  const letters = chars.filter((c) => /\p{L}/u.test(c)).length;
  const zeros = chars.filter((c) => c === '0').length;
  if (zeros === 0 || letters < 3 || letters + zeros !== chars.length || chars[0] === '0') return undefined;
  const lower = chars.filter((c) => /\p{Ll}/u.test(c)).length > letters / 2;
  return chars.map((c) => (c === '0' ? (lower ? 'o' : 'O') : c));
}

/** The texts of a line's characters with look-alikes corrected; tokens are runs without spaces. */
export function correctLookAlikes(texts: readonly string[]): string[] {
  const out = texts.slice();
  let start = 0;
  for (let i = 0; i <= texts.length; i++) {
    if (i < texts.length && texts[i].trim() !== '') continue;
    const token = texts.slice(start, i);
    const fixed = token.length > 1 && token.every((c) => [...c].length === 1) ? (asNumber(token) ?? asWord(token)) : undefined;
    if (fixed) fixed.forEach((c, k) => { out[start + k] = c; });
    start = i + 1;
  }
  return out;
}

/** A date and a time printed together with no space between them (a receipt's `02/01/20192:47:14`). */
const FUSED_DATE_TIME = /^(\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2})(\d{1,2}:\d{2}(?::\d{2})?(?:[AaPp][Mm])?)$/;

/** A time run into its AM/PM (`8:01:11PM`), after a date or not. */
const FUSED_MERIDIEM = /^(.*\d{1,2}:\d{2}(?::\d{2})?)[AaPp][Mm]$/;

/**
 * Where a token is a date (day, month, four-digit year) run into a time, the index of the
 * time's first character in `texts` (a space goes before it), and where a time runs into its
 * AM/PM, the index of the A or P; the recogniser drops the narrow spaces receipts print there.
 */
export function fusedDateTimeBreaks(texts: readonly string[]): number[] {
  const breaks: number[] = [];
  let start = 0;
  for (let i = 0; i <= texts.length; i++) {
    if (i < texts.length && texts[i].trim() !== '') continue;
    const token = texts.slice(start, i).join('');
    if (texts.slice(start, i).every((c) => c.length === 1)) {
      const m = FUSED_DATE_TIME.exec(token), t = FUSED_MERIDIEM.exec(token);
      if (m) breaks.push(start + m[1].length);
      if (t) breaks.push(start + t[1].length);
    }
    start = i + 1;
  }
  return breaks;
}
