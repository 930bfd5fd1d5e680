/**
 * The `language` field's vocabulary (SPEC §4, shared/LANGUAGES.md): API names in the
 * reference's style (case-sensitive) → Tesseract model codes. `Digits` has no model of
 * its own: with other names it adds digits; alone it restricts recognition to digits.
 */
export const DEFAULT_LANGUAGES = ['ChinesePRC', 'English', 'Digits'] as const;
export const MAX_LANGUAGES = 10;
export const DIGITS = 'Digits';

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

/** Tesseract code for an API name, or undefined (Digits and unknown names). */
export function tesseractCodeOf(name: string): string | undefined {
  return REQUIRED_LANGUAGES[name] ?? FURTHER_LANGUAGES[name];
}

export function isKnownLanguageName(name: string): boolean {
  return name === DIGITS || tesseractCodeOf(name) !== undefined;
}

/** Names whose script writes no spaces between words. */
export const CJK_LANGUAGES: ReadonlySet<string> = new Set(['ChinesePRC', 'ChineseTaiwan', 'Japanese']);
