/**
 * The `pages` field (SPEC §7, beyond the reference): which pages of a document to read, as
 * page numbers and ranges, "1-3,5". Pages past the document's end are ignored.
 */
export type PageRange = readonly [first: number, last: number];

const SPEC_RE = /^\s*\d+\s*(-\s*\d+\s*)?(,\s*\d+\s*(-\s*\d+\s*)?)*$/;
const MAX_PAGE = 100_000;

/** Parses "1-3,5" into ranges; undefined when the text is not such a list (the caller says what is wrong). */
export function parsePageRanges(spec: string): PageRange[] | undefined {
  if (!SPEC_RE.test(spec) || spec.length > 1000) return undefined;
  const ranges: PageRange[] = [];
  for (const part of spec.split(',')) {
    const [a, b = a] = part.split('-').map((s) => Number(s.trim()));
    if (a < 1 || b < a || b > MAX_PAGE) return undefined;
    ranges.push([a, b]);
  }
  return ranges;
}

/** Whether page `index` (1-based) is selected; every page when there is no selection. */
export function isSelected(ranges: readonly PageRange[] | undefined, index: number): boolean {
  return !ranges || ranges.some(([a, b]) => index >= a && index <= b);
}

/** How many of a document's `pageCount` pages the ranges select. */
export function selectedCount(ranges: readonly PageRange[] | undefined, pageCount: number): number {
  let n = 0;
  for (let i = 1; i <= pageCount; i++) if (isSelected(ranges, i)) n++;
  return n;
}
