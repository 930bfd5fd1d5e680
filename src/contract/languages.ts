/**
 * The `language` field's vocabulary (SPEC §4, shared/LANGUAGES.md): API names in the
 * reference's style (case-sensitive) → Tesseract model codes. `Digits` has no model of
 * its own: with other names it adds digits; alone it restricts recognition to digits.
 */
export const DEFAULT_LANGUAGES = ['ChinesePRC', 'English', 'Digits'] as const;
export const MAX_LANGUAGES = 10;
export const DIGITS = 'Digits';
/** `language=auto` (SPEC §7, alone): the languages of each page are detected (src/engines/auto-languages.ts). */
export const AUTO = 'auto';

export function isAuto(languages: readonly string[]): boolean {
  return languages.length === 1 && languages[0] === AUTO;
}

/** Table A: required, each shipped by the setup. */
export const REQUIRED_LANGUAGES: Readonly<Record<string, string>> = {
  ChinesePRC: 'chi_sim', English: 'eng', ChineseTaiwan: 'chi_tra', Japanese: 'jpn', Korean: 'kor',
  French: 'fra', German: 'deu', Spanish: 'spa', Portuguese: 'por', Italian: 'ita', Russian: 'rus',
  Dutch: 'nld', Polish: 'pol', Czech: 'ces', Danish: 'dan', Finnish: 'fin', Swedish: 'swe',
  Norwegian: 'nor', Greek: 'ell', Hungarian: 'hun', Bulgarian: 'bul', Croatian: 'hrv',
  Slovenian: 'slv', Turkish: 'tur',
};

/** Table B: accepted where the Tesseract model is installed. */
export const FURTHER_LANGUAGES: Readonly<Record<string, string>> = {
  Afrikaans: 'afr', Albanian: 'sqi', Arabic: 'ara', ArmenianEastern: 'hye', AzeriCyrillic: 'aze_cyrl',
  AzeriLatin: 'aze', Basque: 'eus', Belarusian: 'bel', Breton: 'bre', Catalan: 'cat', Corsican: 'cos',
  DutchBelgian: 'nld', Esperanto: 'epo', Estonian: 'est', Farsi: 'fas', Faeroese: 'fao', Frisian: 'fry',
  GaelicScottish: 'gla', Galician: 'glg', GermanNewSpelling: 'deu', GermanLuxembourg: 'deu',
  Hebrew: 'heb', Icelandic: 'isl', Indonesian: 'ind', Irish: 'gle', Kazakh: 'kaz', Kirgiz: 'kir',
  KoreanHangul: 'kor', Latin: 'lat', Latvian: 'lav', Lithuanian: 'lit', Macedonian: 'mkd', Malay: 'msa',
  Maltese: 'mlt', Maori: 'mri', Mongol: 'mon', NorwegianBokmal: 'nor', OldItalian: 'ita_old',
  OldSpanish: 'spa_old', PortugueseBrazilian: 'por', PortugueseStandard: 'por', Quechua: 'que',
  Romanian: 'ron', RomanianMoldavia: 'ron', SerbianCyrillic: 'srp', SerbianLatin: 'srp_latn',
  Slovak: 'slk', Sunda: 'sun', Swahili: 'swa', Tagalog: 'fil', Tajik: 'tgk', Tatar: 'tat', Thai: 'tha',
  Tongan: 'ton', Ukrainian: 'ukr', UzbekCyrillic: 'uzb_cyrl', UzbekLatin: 'uzb', Vietnamese: 'vie',
  Visayan: 'ceb', Welsh: 'cym', Yiddish: 'yid',
};

/**
 * Table C (docr's own, beyond the reference's vocabulary): an English name for every other
 * language model Debian ships for Tesseract, in the same style. Installed on request
 * (`docr languages install NAME`).
 */
export const OTHER_LANGUAGES: Readonly<Record<string, string>> = {
  Amharic: 'amh', Assamese: 'asm', Bengali: 'ben', Bosnian: 'bos', Burmese: 'mya', Cherokee: 'chr',
  ChinesePRCVertical: 'chi_sim_vert', ChineseTaiwanVertical: 'chi_tra_vert', Divehi: 'div', Dzongkha: 'dzo',
  EnglishMiddle: 'enm', Fraktur: 'frk', FrenchMiddle: 'frm', Georgian: 'kat', GeorgianOld: 'kat_old',
  GreekAncient: 'grc', Gujarati: 'guj', Haitian: 'hat', Hindi: 'hin', Inuktitut: 'iku', JapaneseVertical: 'jpn_vert',
  Javanese: 'jav', Kannada: 'kan', Khmer: 'khm', KoreanVertical: 'kor_vert', Kurdish: 'kmr', Lao: 'lao',
  Luxembourgish: 'ltz', Malayalam: 'mal', Marathi: 'mar', Nepali: 'nep', Occitan: 'oci', Oriya: 'ori',
  Pashto: 'pus', Punjabi: 'pan', Sanskrit: 'san', Sindhi: 'snd', Sinhala: 'sin', Syriac: 'syr', Tamil: 'tam',
  Telugu: 'tel', Tibetan: 'bod', Tigrinya: 'tir', Urdu: 'urd', Uyghur: 'uig', Yoruba: 'yor',
};

/**
 * Tesseract's script models (every language of a script in one model), named `<Script>Script`;
 * the value is the model's file name, and the Debian package's suffix follows.
 */
const SCRIPT_MODELS: Readonly<Record<string, [code: string, pkg: string]>> = {
  ArabicScript: ['Arabic', 'arab'], ArmenianScript: ['Armenian', 'armn'], BengaliScript: ['Bengali', 'beng'],
  CanadianAboriginalScript: ['Canadian_Aboriginal', 'cans'], CherokeeScript: ['Cherokee', 'cher'],
  CyrillicScript: ['Cyrillic', 'cyrl'], DevanagariScript: ['Devanagari', 'deva'], EthiopicScript: ['Ethiopic', 'ethi'],
  FrakturScript: ['Fraktur', 'frak'], GeorgianScript: ['Georgian', 'geor'], GreekScript: ['Greek', 'grek'],
  GujaratiScript: ['Gujarati', 'gujr'], GurmukhiScript: ['Gurmukhi', 'guru'], HangulScript: ['Hangul', 'hang'],
  HangulVerticalScript: ['Hangul_vert', 'hang-vert'], HanSimplifiedScript: ['HanS', 'hans'],
  HanSimplifiedVerticalScript: ['HanS_vert', 'hans-vert'], HanTraditionalScript: ['HanT', 'hant'],
  HanTraditionalVerticalScript: ['HanT_vert', 'hant-vert'], HebrewScript: ['Hebrew', 'hebr'],
  JapaneseScript: ['Japanese', 'jpan'], JapaneseVerticalScript: ['Japanese_vert', 'jpan-vert'],
  KannadaScript: ['Kannada', 'knda'], KhmerScript: ['Khmer', 'khmr'], LaoScript: ['Lao', 'laoo'],
  LatinScript: ['Latin', 'latn'], MalayalamScript: ['Malayalam', 'mlym'], MyanmarScript: ['Myanmar', 'mymr'],
  OriyaScript: ['Oriya', 'orya'], SinhalaScript: ['Sinhala', 'sinh'], SyriacScript: ['Syriac', 'syrc'],
  TamilScript: ['Tamil', 'taml'], TeluguScript: ['Telugu', 'telu'], ThaanaScript: ['Thaana', 'thaa'],
  ThaiScript: ['Thai', 'thai'], TibetanScript: ['Tibetan', 'tibt'], VietnameseScript: ['Vietnamese', 'viet'],
};

export const SCRIPT_LANGUAGES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SCRIPT_MODELS).map(([n, [code]]) => [n, code]));

const ALL_MODELS: Readonly<Record<string, string>> = { ...REQUIRED_LANGUAGES, ...FURTHER_LANGUAGES, ...OTHER_LANGUAGES, ...SCRIPT_LANGUAGES };

/** Every name of the vocabulary but Digits, in table order (A, B, C, scripts). */
export function modelLanguageNames(): string[] {
  return Object.keys(ALL_MODELS);
}

/** Tesseract code for an API name, or undefined (Digits and unknown names). */
export function tesseractCodeOf(name: string): string | undefined {
  return Object.hasOwn(ALL_MODELS, name) ? ALL_MODELS[name] : undefined;
}

/** The Debian package that installs a Tesseract model (`chi_sim` → tesseract-ocr-chi-sim, `HanS_vert` → tesseract-ocr-script-hans-vert). */
export function tesseractPackageOf(code: string): string {
  const script = Object.values(SCRIPT_MODELS).find(([c]) => c === code);
  return script ? `tesseract-ocr-script-${script[1]}` : `tesseract-ocr-${code.replace(/_/g, '-')}`;
}

/** The command that installs the models of these names, as a user types it. */
export function installCommandFor(names: readonly string[]): string {
  return `docr languages install ${names.join(' ')}`;
}

export function isKnownLanguageName(name: string): boolean {
  return name === DIGITS || tesseractCodeOf(name) !== undefined;
}

/** The vocabulary's spelling of a name given in the wrong case, for the error message. */
export function caseCorrectedName(name: string): string | undefined {
  const lower = name.toLowerCase();
  return [...modelLanguageNames(), DIGITS].find((k) => k.toLowerCase() === lower);
}

/** Names whose script writes no spaces between words (lines join their words without them: src/domain/line-text.ts). */
export const UNSPACED_LANGUAGES: ReadonlySet<string> = new Set([
  'ChinesePRC', 'ChineseTaiwan', 'Japanese', 'ChinesePRCVertical', 'ChineseTaiwanVertical', 'JapaneseVertical',
  'Thai', 'Lao', 'Khmer', 'Burmese', 'Tibetan', 'Dzongkha',
  'HanSimplifiedScript', 'HanSimplifiedVerticalScript', 'HanTraditionalScript', 'HanTraditionalVerticalScript',
  'JapaneseScript', 'JapaneseVerticalScript', 'ThaiScript', 'LaoScript', 'KhmerScript', 'MyanmarScript', 'TibetanScript',
]);
