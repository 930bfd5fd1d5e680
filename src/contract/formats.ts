/** Result formats (SPEC §1.2, §5). json and hocr are docr's extras (SPEC §7). */
export const OUTPUT_FORMATS = ['txt', 'pdf', 'docx', 'xlsx', 'pptx'] as const;
export const EXTRA_OUTPUT_FORMATS = ['json', 'hocr'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number] | (typeof EXTRA_OUTPUT_FORMATS)[number];
export const DEFAULT_FORMAT: OutputFormat = 'txt';

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  json: 'application/json',
  hocr: 'text/html; charset=utf-8',
};

export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s) || (EXTRA_OUTPUT_FORMATS as readonly string[]).includes(s);
}

/**
 * Input kinds, as detected from content. `data.type` on the wire carries the number
 * (the reference's Go sample has an integer `type`; the mapping is docr's and documented).
 */
export const INPUT_TYPES = {
  unknown: 0, jpeg: 1, png: 2, gif: 3, bmp: 4, pdf: 5, doc: 6, docx: 7, xls: 8, xlsx: 9,
  ppt: 10, pptx: 11, tiff: 12, webp: 13,
} as const;
export type InputKind = keyof typeof INPUT_TYPES;
