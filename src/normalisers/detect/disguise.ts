/**
 * Disguised files: the type always comes from the content, but a file whose name promises an
 * image while its content is a document or archive (a .png holding a .docx) is refused rather
 * than silently converted. Renames within a family (a PNG saved as .jpg, a PDF saved as .docx)
 * are harmless and accepted.
 */
import path from 'node:path';
import { DocrError } from '../../domain/errors.js';
import type { Detected } from './detect-kind.js';

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'jpe', 'png', 'gif', 'bmp', 'dib', 'tif', 'tiff', 'webp']);
const IMAGE_KINDS = new Set(['jpeg', 'png', 'gif', 'bmp', 'tiff', 'webp']);

export function checkDisguise(kind: Detected['kind'], declaredName: string | undefined): void {
  if (!declaredName) return;
  const ext = path.extname(declaredName).slice(1).toLowerCase();
  if (IMAGE_EXTENSIONS.has(ext) && !IMAGE_KINDS.has(kind)) {
    const found = kind === 'encrypted-ooxml' ? 'an encrypted Office document' : `a ${kind} document`;
    throw new DocrError('INVALID_FILE', `The file is named .${ext} but its content is ${found}: disguised files are refused.`, { found: kind, declared: ext });
  }
}
