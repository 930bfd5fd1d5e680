/**
 * `language=auto` (SPEC §7): the languages of each page are found, then the page is read with
 * them. Measured on the corpus, Tesseract's OSD names a script on few of its images (line
 * images have "too few characters"; receipts came out Cyrillic, Chinese Japanese), so the
 * scripts come from reading instead:
 *
 * 1. PP-OCR reads the page with the default set (the accurate path). Chinese characters on it
 *    mean Chinese (kana among them: Japanese); that reading stands.
 * 2. Otherwise its longest lines are read again by Tesseract with one model per script
 *    installed here (English with German, French and Spanish, Russian, Greek, Korean,
 *    Japanese, and Thai, Hindi, Arabic, Hebrew when installed), and the script most of the confident characters are in decides:
 *    Latin without accented letters is English and PP-OCR's reading stands; Latin with them is
 *    read by Tesseract with the common European languages; another script with its language.
 */
import { DEFAULT_LANGUAGES } from '../contract/languages.js';
import type { Page } from '../domain/ocr-tree.js';
import { pageLines } from '../domain/ocr-tree.js';
import type { PageImage } from '../ports/ocr-engine.js';
import { isLineImage } from './line-shape.js';

/** Reads an image with a language set (routed as any request is). */
export type ReadWith = (image: PageImage, languages: readonly string[]) => Promise<Page>;

interface ScriptRule { script: RegExp; languages: string[] }

/** Each script Tesseract can tell apart here, the language that reads it, in order of preference. */
const SCRIPTS: Readonly<Record<string, ScriptRule>> = {
  Cyrillic: { script: /\p{Script=Cyrillic}/u, languages: ['Russian'] },
  Greek: { script: /\p{Script=Greek}/u, languages: ['Greek'] },
  Hangul: { script: /\p{Script=Hangul}/u, languages: ['Korean'] },
  Kana: { script: /[\p{Script=Hiragana}\p{Script=Katakana}]/u, languages: ['Japanese'] },
  Thai: { script: /\p{Script=Thai}/u, languages: ['Thai'] },
  Devanagari: { script: /\p{Script=Devanagari}/u, languages: ['Hindi'] },
  Arabic: { script: /\p{Script=Arabic}/u, languages: ['Arabic'] },
  Hebrew: { script: /\p{Script=Hebrew}/u, languages: ['Hebrew'] },
  Latin: { script: /\p{Script=Latin}/u, languages: ['English'] },
};
const EUROPEAN = ['English', 'German', 'French', 'Spanish', 'Italian', 'Portuguese'];
const ACCENTED = /[À-ÖØ-öø-ÿĀ-žß]/u;
const HAN = /\p{Script=Han}/u;

/** Lines the probe reads (the longest: most characters for the least work). */
const PROBE_LINES = 6;

function count(text: string, re: RegExp): number {
  return [...text].filter((c) => re.test(c)).length;
}

/** Which of the default set's languages a PP-OCR reading shows, or undefined when its text is not Chinese. */
function chineseOf(page: Page): string[] | 'Japanese' | undefined {
  const text = pageLines(page).map((l) => l.text).join('');
  const han = count(text, HAN), kana = count(text, SCRIPTS.Kana.script), latin = count(text, SCRIPTS.Latin.script);
  const letters = han + kana + latin;
  // Chinese with English words in it ("Hello world!你好世界") is Chinese too.
  if (han + kana < 2 || (han + kana) / letters < 0.15) return undefined;
  if (kana >= 0.1 * (han + kana)) return 'Japanese';
  return latin > 0 ? ['ChinesePRC', 'English'] : ['ChinesePRC'];
}

/**
 * What the script probe reads: the page's longest lines stacked into one small image; the
 * image itself when it is a single line or PP-OCR found next to nothing on it (a script it
 * does not know, such as Korean, may not even be detected as text).
 */
async function probeImage(image: PageImage, page: Page): Promise<PageImage | undefined> {
  const chars = pageLines(page).reduce((n, l) => n + l.text.trim().length, 0);
  const { default: sharp } = await import('sharp'); // on first use: the engines' entry must load fast (tesseract/index.ts)
  // Turned a quarter as PP-OCR turned the page (that comes from the boxes' shape, whatever the
  // script); its 180° turn is not trusted: it comes from reading, which fails on scripts it lacks.
  const turn = page.rotation === 90 || page.rotation === 270 ? page.rotation : 0;
  const upright = (data: Buffer) => (turn ? sharp(data).rotate(turn).png().toBuffer() : Promise.resolve(data));
  if (isLineImage(page.width, page.height) || chars < 10) {
    const data = await upright(image.data);
    const sideways = turn !== 0;
    return { ...image, data, width: sideways ? image.height : image.width, height: sideways ? image.width : image.height };
  }
  const boxes = pageLines(page).map((l) => l.box).filter((b) => b.w >= 8 && b.h >= 8)
    .sort((a, b) => Math.max(b.w, b.h) - Math.max(a.w, a.h)).slice(0, PROBE_LINES);
  if (boxes.length === 0) return undefined;
  const pad = 8;
  const crops = await Promise.all(boxes.map(async (b) => upright(await sharp(image.data).extract({ left: b.x, top: b.y, width: Math.min(b.w, page.width - b.x), height: Math.min(b.h, page.height - b.y) }).png().toBuffer())));
  const sizes = await Promise.all(crops.map(async (c) => { const m = await sharp(c).metadata(); return { w: m.width ?? 0, h: m.height ?? 0 }; }));
  const width = Math.max(...sizes.map((z) => z.w)) + 2 * pad, height = sizes.reduce((s, z) => s + z.h + pad, pad);
  let y = pad;
  const layers = crops.map((input, i) => { const top = y; y += sizes[i].h + pad; return { input, left: pad, top }; });
  const data = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(layers).png().toBuffer();
  return { data, width, height, dpi: image.dpi, index: image.index };
}

/** The script most confident characters of the probe's reading are in. */
function dominantScript(probe: Page): string | undefined {
  const tally = new Map<string, number>();
  for (const w of pageLines(probe).flatMap((l) => l.words)) {
    if (w.confidence < 0.5) continue;
    for (const [name, rule] of Object.entries(SCRIPTS)) {
      const n = count(w.text, rule.script);
      if (n > 0) tally.set(name, (tally.get(name) ?? 0) + n * w.confidence);
    }
  }
  return [...tally.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Character-weighted mean confidence of a reading's words in the script of `rule` (0 when none is). */
function scriptConfidence(page: Page, rule: ScriptRule): number {
  let sum = 0, n = 0;
  for (const w of pageLines(page).flatMap((l) => l.words)) {
    const k = count(w.text, rule.script);
    sum += k * w.confidence; n += [...w.text].length;
  }
  return n === 0 ? 0 : sum / n;
}

/**
 * A small probe (a word or a line) is read once per script, each model alone: several models
 * together misread a short word that one of them alone reads (a Korean word on a sign).
 */
async function scriptOfSmall(probe: PageImage, readWith: ReadWith, installed: readonly string[]): Promise<string | undefined> {
  let best: string | undefined, bestScore = 0.3;
  for (const [name, rule] of Object.entries(SCRIPTS)) {
    const language = rule.languages.find((n) => installed.includes(n));
    if (!language) continue;
    // English alone is PP-OCR's, which reads other scripts as Latin look-alikes, and confidently:
    // with German beside it, Tesseract reads it, as it reads the other scripts.
    const languages = name === 'Latin' ? ['English', 'German'].filter((n) => installed.includes(n)) : [language];
    const score = scriptConfidence(await readWith(probe, languages), rule);
    if (score > bestScore) { best = name; bestScore = score; }
  }
  return best;
}

const SMALL_PROBE_PIXELS = 300_000;

/** The languages of one page and its reading with them; `installed`: the names with a model here. */
export async function readDetectingLanguages(image: PageImage, readWith: ReadWith, installed: readonly string[]): Promise<Page> {
  const first = await readWith(image, DEFAULT_LANGUAGES);
  const chinese = chineseOf(first);
  if (chinese === 'Japanese' && installed.includes('Japanese')) return { ...(await readWith(image, ['Japanese'])), languages: ['Japanese'] };
  if (chinese) return { ...first, languages: chinese === 'Japanese' ? ['ChinesePRC'] : chinese };
  const probeFrom = await probeImage(image, first);
  // One model per script: more Latin models beside them outvote a script's own (Korean read as Latin garbage).
  const probeSet = ['English', ...Object.values(SCRIPTS).flatMap((r) => r.languages)].filter((n, i, all) => all.indexOf(n) === i && installed.includes(n));
  const small = probeFrom !== undefined && probeFrom.width * probeFrom.height <= SMALL_PROBE_PIXELS;
  const probe = probeFrom && !small ? await readWith(probeFrom, probeSet) : undefined;
  const script = small ? await scriptOfSmall(probeFrom, readWith, installed) : probe ? dominantScript(probe) : undefined;
  if (!script || script === 'Latin') {
    // Accented letters need the models that have them: the probe is read again with three.
    const accents = probeFrom ? await readWith(probeFrom, ['English', 'German', 'French', 'Spanish'].filter((n) => installed.includes(n))) : undefined;
    const text = accents ? pageLines(accents).map((l) => l.text).join(' ') : '';
    if (!ACCENTED.test(text)) return { ...first, languages: ['English'] };
    const european = EUROPEAN.filter((n) => installed.includes(n));
    return { ...(await readWith(image, european)), languages: european };
  }
  const languages = SCRIPTS[script].languages.filter((n) => installed.includes(n));
  if (languages.length === 0) return { ...first, languages: ['English'] };
  return { ...(await readWith(image, languages)), languages };
}
