/**
 * Samples an oriented box of a raster straight into a normalised model tensor (CHW, BGR,
 * (v/255 − 0.5)/0.5), so a line crop never exists as an intermediate image. Shrinking by more
 * than 1.5× averages several sub-samples per output pixel to avoid aliasing thin strokes.
 */
import type { Raster } from './raster.js';
import type { OrientedBox } from './geometry.js';

export interface CropGeometry {
  /** The box as read: its `w` runs along the text, left to right. */
  box: OrientedBox;
  /** Output width holding content; the rest of `tensorWidth` is neutral padding. */
  contentWidth: number;
}

/** The box as read: vertical columns (height ≥ 1.5 × width) are turned so their top comes first, as PaddleOCR does. */
export function readingBox(b: OrientedBox): OrientedBox {
  if (b.h >= 1.5 * b.w) return { cx: b.cx, cy: b.cy, w: b.h, h: b.w, angle: b.angle + Math.PI / 2 };
  return b;
}

/**
 * Fills `out` (3 × height × tensorWidth, pre-zeroed = mid grey after normalisation) with the box
 * resampled to `height` rows and `contentWidth` columns. Each sub-sample row is walked in a
 * straight line along the box (one add per sample): this runs for every line of a dense page.
 */
export function sampleBox(img: Raster, b: OrientedBox, height: number, contentWidth: number, tensorWidth: number, out: Float32Array): void {
  const { data, width: W, height: H } = img;
  const ux = Math.cos(b.angle), uy = Math.sin(b.angle);
  const vx = -uy, vy = ux;
  const stepA = b.w / contentWidth, stepC = b.h / height;
  const ss = Math.min(4, Math.max(1, Math.round(Math.max(stepA, stepC) / 1.5 + 0.49)));
  const plane = height * tensorWidth;
  const ox = b.cx - (b.w / 2) * ux - (b.h / 2) * vx;
  const oy = b.cy - (b.w / 2) * uy - (b.h / 2) * vy;
  const scale = 1 / (ss * ss * 127.5);
  const sub = stepA / ss, samples = contentWidth * ss, dx = sub * ux, dy = sub * uy;
  // Sub-sampled rows accumulate here; single samples (most 300-dpi lines) go straight to `out`.
  const acc = ss > 1 ? new Float64Array(3 * contentWidth) : undefined;
  for (let r = 0; r < height; r++) {
    const o = r * tensorWidth;
    acc?.fill(0);
    for (let j = 0; j < ss; j++) {
      const cc = (r + (j + 0.5) / ss) * stepC;
      let x = ox + cc * vx - 0.5 + 0.5 * dx, y = oy + cc * vy - 0.5 + 0.5 * dy;
      for (let k = 0; k < samples; k++, x += dx, y += dy) {
        // Outside the image: clamp to the edge (replicates the background rather than inventing black).
        const xc = x < 0 ? 0 : x > W - 1 ? W - 1 : x;
        const yc = y < 0 ? 0 : y > H - 1 ? H - 1 : y;
        const x0 = xc | 0, y0 = yc | 0;
        const fx = xc - x0, fy = yc - y0;
        const p00 = (y0 * W + x0) * 3;
        const p01 = x0 + 1 < W ? p00 + 3 : p00;
        const p10 = y0 + 1 < H ? p00 + 3 * W : p00, p11 = y0 + 1 < H ? p01 + 3 * W : p01;
        const a0 = data[p00], a1 = data[p00 + 1], a2 = data[p00 + 2];
        const t0 = a0 + fx * (data[p01] - a0), t1 = a1 + fx * (data[p01 + 1] - a1), t2 = a2 + fx * (data[p01 + 2] - a2);
        const b0 = data[p10], b1 = data[p10 + 1], b2 = data[p10 + 2];
        const v0 = t0 + fy * (b0 + fx * (data[p11] - b0) - t0);
        const v1 = t1 + fy * (b1 + fx * (data[p11 + 1] - b1) - t1);
        const v2 = t2 + fy * (b2 + fx * (data[p11 + 2] - b2) - t2);
        if (acc) {
          const c3 = 3 * ((k / ss) | 0);
          acc[c3] += v0; acc[c3 + 1] += v1; acc[c3 + 2] += v2;
        } else {
          // BGR planes, (v/255 − 0.5)/0.5: the models were trained on OpenCV-loaded images.
          out[o + k] = v2 * scale - 1; out[plane + o + k] = v1 * scale - 1; out[2 * plane + o + k] = v0 * scale - 1;
        }
      }
    }
    if (acc) {
      for (let c = 0; c < contentWidth; c++) {
        out[o + c] = acc[3 * c + 2] * scale - 1; out[plane + o + c] = acc[3 * c + 1] * scale - 1; out[2 * plane + o + c] = acc[3 * c] * scale - 1;
      }
    }
  }
}
