/**
 * Whole-page orientation from the detected boxes themselves: lines running vertically mean
 * a quarter turn, unless they are columns of Chinese written vertically (then the page stays
 * as it is and those lines are read top to bottom: vertical.ts); the 0°/180° line classifier,
 * voted over the longest lines and weighted by length, decides whether the (turned) page is
 * upside down. Cheaper than an OSD pass and it reuses the detection the page needs anyway.
 */
import type { ModelSet } from './models.js';
import { rotateRaster, type Raster } from './raster.js';
import { detectText, type DetectedBox } from './detect.js';
import { recogniseBox, upsideDownProbability } from './recognise.js';
import { readingBox } from './crop.js';
import { isCjkText, segmentText } from './words.js';

export interface Oriented {
  /** Clockwise degrees applied to the input to make it upright. */
  rotation: number;
  raster: Raster;
  boxes: DetectedBox[];
}

const VOTERS = 12;

const meanProb = (chars: readonly { prob: number }[]) => (chars.length ? chars.reduce((s, c) => s + c.prob, 0) / chars.length : 0);

function linesRunVertically(boxes: readonly DetectedBox[]): boolean {
  let vertical = 0, horizontal = 0;
  for (const b of boxes) {
    const long = Math.max(b.w, b.h), short = Math.min(b.w, b.h);
    if (long < 2.5 * short) continue;
    if (b.h > b.w) vertical += long; else horizontal += long;
  }
  return vertical > 1.5 * horizontal;
}

/** A page is a candidate for a 180° turn when its length-weighted vote in [-1, 1] is above this. */
const UPSIDE_DOWN_VOTE = 0.3;

/**
 * Whether the length-weighted vote of the longest lines says upside down. Voting stops as soon
 * as the lines not yet asked could no longer change the outcome (on an upright page, after the
 * first four or five of twelve): the decision is the full vote's, at a third of the classifier runs.
 */
async function votesUpsideDown(models: ModelSet, raster: Raster, boxes: readonly DetectedBox[]): Promise<boolean> {
  const voters = boxes.filter((b) => b.w >= 2 * b.h).sort((a, b) => b.w - a.w).slice(0, VOTERS);
  const total = voters.reduce((t, b) => t + b.w, 0);
  if (total === 0) return false;
  let sum = 0, rest = total;
  for (const b of voters) {
    const p = await upsideDownProbability(models.cls, raster, b);
    sum += b.w * (2 * p - 1); rest -= b.w;
    if (sum + rest <= UPSIDE_DOWN_VOTE * total) return false;
    if (sum - rest > UPSIDE_DOWN_VOTE * total) return true;
  }
  return sum > UPSIDE_DOWN_VOTE * total;
}

/**
 * The classifier errs on short or odd lines (a single line image, digits); a turn is only made
 * when the recogniser itself is more confident reading the longest lines turned round.
 */
async function turnedReadsBetter(models: ModelSet, raster: Raster, boxes: readonly DetectedBox[]): Promise<boolean> {
  const probes = boxes.slice().sort((a, b) => b.w - a.w).slice(0, 3);
  let asIs = 0, turned = 0;
  for (const b of probes) {
    const conf = async (box: DetectedBox) => {
      return meanProb((await recogniseBox(models.rec, raster, box, models.charset)).chars);
    };
    asIs += await conf(b);
    turned += await conf({ ...b, angle: b.angle + Math.PI });
  }
  return turned > asIs;
}

/** The same boxes in the image turned by 180°. */
function turnBoxes(boxes: readonly DetectedBox[], w: number, h: number): DetectedBox[] {
  return boxes.map((b) => ({ ...b, cx: w - b.cx, cy: h - b.cy }));
}

/**
 * Whether the page's long vertical boxes are columns of CJK characters written top to bottom
 * (a sign, a book page) rather than lines of a page lying on its side. Read top first, as
 * vertical text is (PaddleOCR's recogniser was trained on such columns), they give mostly CJK
 * characters, and more confidently than read bottom first (which a page turned
 * counter-clockwise needs). A page of horizontal Chinese turned clockwise passes too, and
 * reads the same either way: its lines come right to left, as columns do.
 */
async function verticalCjkColumns(models: ModelSet, raster: Raster, boxes: readonly DetectedBox[], mask: Uint8Array | undefined): Promise<boolean> {
  const probes = boxes.filter((b) => b.h >= 2.5 * b.w).sort((a, b) => b.h - a.h).slice(0, 3);
  let votes = 0;
  for (const b of probes) {
    const down = await recogniseBox(models.rec, raster, readingBox(b), models.charset, mask);
    if (!isCjkText(segmentText(down).text)) continue;
    const up = await recogniseBox(models.rec, raster, { ...readingBox(b), angle: readingBox(b).angle + Math.PI }, models.charset, mask);
    if (meanProb(down.chars) > meanProb(up.chars)) votes++;
  }
  return probes.length > 0 && votes > probes.length / 2;
}

/** `mask`: the recogniser classes the request allows (undefined: all, Chinese included). */
export async function orientPage(models: ModelSet, raster: Raster, boxes: DetectedBox[], check: () => void, mask?: Uint8Array): Promise<Oriented> {
  let rotation = 0;
  const cjkAllowed = mask === undefined;
  if (linesRunVertically(boxes) && !(cjkAllowed && await verticalCjkColumns(models, raster, boxes, mask))) {
    raster = rotateRaster(raster, 90);
    check();
    boxes = await detectText(models.det, raster);
    rotation = 90;
  }
  check();
  if ((await votesUpsideDown(models, raster, boxes)) && (await turnedReadsBetter(models, raster, boxes))) {
    raster = rotateRaster(raster, 180);
    boxes = turnBoxes(boxes, raster.width, raster.height);
    rotation = (rotation + 180) % 360;
  }
  return { rotation, raster, boxes };
}
