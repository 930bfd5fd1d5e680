/**
 * Synthetic text images for calibrating the int8 recogniser (bench/quant-calibrate.ts), made
 * from text on this machine rather than from the corpus, so the benchmark that scores the
 * quantised model is not also the data it was fitted to. English comes from Debian's licence
 * texts, Chinese from the recogniser's own dictionary (common characters mixed with Latin and
 * digits); each image is set in one of the installed fonts at document sizes and then degraded
 * the way scans, faxes and photos are (blur, noise, low resolution, JPEG, tinted or dark paper).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const LATIN_FONTS = ['DejaVu Sans', 'DejaVu Serif', 'Liberation Serif', 'Liberation Sans', 'Liberation Mono', 'Carlito', 'Caladea', 'DejaVu Sans Condensed'];
const CJK_FONTS = ['Noto Sans CJK SC', 'Noto Serif CJK SC'];

/** A small deterministic generator, so the calibration (and so the committed ranges) can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32; };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function englishLines(): string[] {
  const dir = '/usr/share/common-licenses';
  return readdirSync(dir).flatMap((f) => { try { return readFileSync(path.join(dir, f), 'utf8').split('\n'); } catch { return []; } })
    .map((l) => l.trim()).filter((l) => l.length > 20);
}

function chineseLine(rand: () => number, dict: string[], words: string[]): string {
  const n = 8 + Math.floor(rand() * 24);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.06) s += ` ${words[Math.floor(rand() * words.length)]} `;
    else if (r < 0.1) s += String(Math.floor(rand() * 100000));
    else if (r < 0.16) s += '，。、：；（）'[Math.floor(rand() * 7)];
    else s += dict[Math.floor(rand() * dict.length)];
  }
  return s;
}

/** `count` PNG images of text blocks, deterministic for a seed. */
export async function syntheticPages(count: number, dictionary: string[], seed = 1): Promise<Buffer[]> {
  const rand = random(seed);
  const english = englishLines();
  const words = english.join(' ').split(/\s+/).filter((w) => /^[A-Za-z]{3,}$/.test(w));
  const cjk = dictionary.filter((c) => /\p{Script=Han}/u.test(c));
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const out: Buffer[] = [];
  for (let k = 0; k < count; k++) {
    const chinese = k % 2 === 1;
    const font = chinese ? pick(CJK_FONTS) : pick(LATIN_FONTS);
    const size = 8 + Math.floor(rand() * 8);
    const lines: string[] = [];
    const start = Math.floor(rand() * english.length);
    for (let i = 0; i < 6 + Math.floor(rand() * 10); i++) lines.push(chinese ? chineseLine(rand, cjk, words) : english[(start + i) % english.length]);
    const weight = rand() < 0.2 ? 'bold' : 'normal';
    const markup = `<span font="${font} ${size}" weight="${weight}">${escape(lines.join('\n'))}</span>`;
    const rendered = await sharp({ text: { text: markup, dpi: 300, width: 2400, rgba: false } }).png().toBuffer();
    // Text comes out light on black: make it ink on paper, then degrade.
    const paper = 200 + Math.floor(rand() * 56), ink = Math.floor(rand() * 90);
    // (sharp applies extend before negate/linear within one pipeline, hence two.)
    const inked = await sharp(rendered).negate().linear((paper - ink) / 255, ink).png().toBuffer();
    let img = sharp(inked).extend({ top: 60, bottom: 60, left: 60, right: 60, background: { r: paper, g: paper, b: paper } });
    if (rand() < 0.15) img = sharp(await img.png().toBuffer()).negate();
    const raw = await img.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const { width, height, channels } = raw.info;
    const noise = rand() * 25;
    if (noise > 5) for (let i = 0; i < raw.data.length; i++) raw.data[i] = Math.max(0, Math.min(255, raw.data[i] + (rand() - 0.5) * noise));
    let page = sharp(raw.data, { raw: { width, height, channels } });
    const blur = rand();
    if (blur < 0.4) page = page.blur(0.4 + rand() * 0.9);
    const scale = rand() < 0.3 ? 0.35 + rand() * 0.4 : 1;
    if (scale < 1) page = sharp(await page.resize(Math.round(width * scale)).png().toBuffer());
    out.push(rand() < 0.3 ? await page.jpeg({ quality: 25 + Math.floor(rand() * 50) }).toBuffer() : await page.png().toBuffer());
  }
  return out;
}
