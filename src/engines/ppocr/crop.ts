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
 * resampled to `height` rows and `contentWidth` columns.
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
  const inv = 1 / (ss * ss);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < contentWidth; c++) {
      let s0 = 0, s1 = 0, s2 = 0;
      for (let j = 0; j < ss; j++) {
        const cc = (r + (j + 0.5) / ss) * stepC;
        for (let i = 0; i < ss; i++) {
          const aa = (c + (i + 0.5) / ss) * stepA;
          let x = ox + aa * ux + cc * vx - 0.5, y = oy + aa * uy + cc * vy - 0.5;
          // Outside the image: clamp to the edge (replicates the background rather than inventing black).
          if (x < 0) x = 0; else if (x > W - 1) x = W - 1;
          if (y < 0) y = 0; else if (y > H - 1) y = H - 1;
          const x0 = Math.floor(x), y0 = Math.floor(y);
          const x1 = x0 + 1 < W ? x0 + 1 : x0, y1 = y0 + 1 < H ? y0 + 1 : y0;
          const fx = x - x0, fy = y - y0;
          const p00 = (y0 * W + x0) * 3, p01 = (y0 * W + x1) * 3, p10 = (y1 * W + x0) * 3, p11 = (y1 * W + x1) * 3;
          const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
          s0 += data[p00] * w00 + data[p01] * w01 + data[p10] * w10 + data[p11] * w11;
          s1 += data[p00 + 1] * w00 + data[p01 + 1] * w01 + data[p10 + 1] * w10 + data[p11 + 1] * w11;
          s2 += data[p00 + 2] * w00 + data[p01 + 2] * w01 + data[p10 + 2] * w10 + data[p11 + 2] * w11;
        }
      }
      const o = r * tensorWidth + c;
      // BGR planes: the models were trained on OpenCV-loaded images.
      out[o] = (s2 * inv) / 127.5 - 1;
      out[plane + o] = (s1 * inv) / 127.5 - 1;
      out[2 * plane + o] = (s0 * inv) / 127.5 - 1;
    }
  }
}
