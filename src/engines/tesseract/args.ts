/**
 * API language names → Tesseract command-line arguments. Only the requested models are
 * loaded (each extra model costs time and accuracy). `Digits` adds nothing beside other
 * names (every model reads digits); alone it restricts the English model to digits and
 * their separators.
 */
import { DIGITS, UNSPACED_LANGUAGES, tesseractCodeOf } from '../../contract/languages.js';

export const DIGIT_CHARS = '0123456789.,-+/: ';

/** Models trained on text written top to bottom, for the scripts that are. */
const VERTICAL_MODELS: Readonly<Record<string, string>> = { jpn: 'jpn_vert', chi_tra: 'chi_tra_vert', chi_sim: 'chi_sim_vert', kor: 'kor_vert' };

/**
 * Tesseract codes for the names, in request order, without duplicates (Digits alone → eng).
 * `vertical`: the installed codes, when the page has vertical lines: each model's vertical
 * companion is added where it is installed (their horizontal model reads vertical lines badly).
 */
export function tesseractCodes(languages: readonly string[], vertical?: ReadonlySet<string>): string[] {
  const codes: string[] = [];
  for (const name of languages) {
    const code = tesseractCodeOf(name);
    if (code !== undefined && !codes.includes(code)) codes.push(code);
  }
  if (vertical) for (const c of [...codes]) if (VERTICAL_MODELS[c] && vertical.has(VERTICAL_MODELS[c]) && !codes.includes(VERTICAL_MODELS[c])) codes.push(VERTICAL_MODELS[c]);
  return codes.length === 0 ? ['eng'] : codes;
}

/** True when some requested model has a vertical companion installed. */
export function hasVerticalModels(languages: readonly string[], installed: ReadonlySet<string>): boolean {
  return tesseractCodes(languages, installed).length > tesseractCodes(languages).length;
}

export function isDigitsOnly(languages: readonly string[]): boolean {
  return languages.length > 0 && languages.every((l) => l === DIGITS);
}

/**
 * Arguments after `tesseract stdin stdout`. psm 1 (automatic segmentation with orientation
 * detection) rather than 3: on the corpus it reads the 90° and 180° pages (82 % → 0 % CER)
 * for about 30 % more time, cheaper than a separate `--psm 0` pass plus psm 3.
 * `singleLine`: psm 7, the image is one text line (line-image.ts).
 */
export function tesseractArgs(languages: readonly string[], opts: { singleLine?: boolean; vertical?: ReadonlySet<string> } = {}): string[] {
  // No --dpi: Tesseract reads the image's own resolution or estimates it from the glyphs,
  // which beats a guessed 300 on photos and screenshots.
  const args = ['-l', tesseractCodes(languages, opts.vertical).join('+'), '--psm', opts.singleLine ? '7' : '1'];
  if (isDigitsOnly(languages)) args.push('-c', `tessedit_char_whitelist=${DIGIT_CHARS}`);
  args.push('tsv');
  // Scripts without word spaces: the plain text says where the image has spaces (tsv.ts).
  if (languages.some((l) => UNSPACED_LANGUAGES.has(l))) args.push('txt');
  return args;
}
