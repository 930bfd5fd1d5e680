/**
 * Whether an image has the shape of a single text line (a cropped line or word): engines read
 * such images whole as well, because page segmentation misses or splits text that touches the
 * image edges (issue 2). One rule for every engine.
 */
const LINE_IMAGE_MAX_HEIGHT = 160;
const LINE_IMAGE_MIN_ASPECT = 1.5;

export function isLineImage(width: number, height: number): boolean {
  return height > 0 && height <= LINE_IMAGE_MAX_HEIGHT && width >= LINE_IMAGE_MIN_ASPECT * height;
}
