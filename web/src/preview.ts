/**
 * The recognised text beside the page, with a box drawn over each word (from format=json).
 * Images are drawn under their boxes; other documents' pages show the boxes on white.
 */
interface Box { x: number; y: number; w: number; h: number }
interface Word { text: string; box: Box; confidence: number }
interface Line { text: string; words: Word[] }
interface Block { lines: Line[]; table?: { cells: { lines: Line[] }[] } }
interface Page { width: number; height: number; blocks: Block[] }
export interface OcrJson { pages: Page[] }

const SVG = 'http://www.w3.org/2000/svg';
const MAX_PAGES = 20;

const linesOf = (page: Page) => page.blocks.flatMap((b) => [...b.lines, ...(b.table?.cells.flatMap((c) => c.lines) ?? [])]);

function svg<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function pageView(page: Page, index: number, image: string | undefined): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'page';
  const art = svg('svg', { viewBox: `0 0 ${page.width} ${page.height}`, role: 'img', 'aria-label': `Page ${index + 1} with the words found on it outlined` });
  art.append(image ? svg('image', { href: image, x: 0, y: 0, width: page.width, height: page.height, preserveAspectRatio: 'none' }) : svg('rect', { x: 0, y: 0, width: page.width, height: page.height, fill: '#fff' }));
  for (const word of linesOf(page).flatMap((l) => l.words)) {
    const rect = svg('rect', { class: 'word-box', x: word.box.x, y: word.box.y, width: word.box.w, height: word.box.h });
    rect.append(Object.assign(svg('title', {}), { textContent: `${word.text} (${Math.round(word.confidence * 100)} %)` }));
    art.append(rect);
  }
  const text = document.createElement('pre');
  text.className = 'page-text';
  text.tabIndex = 0;
  text.setAttribute('aria-label', `Text of page ${index + 1}`);
  text.textContent = linesOf(page).map((l) => l.text).join('\n');
  const caption = Object.assign(document.createElement('figcaption'), { textContent: `Page ${index + 1}` });
  figure.append(caption, art, text);
  return figure;
}

/** `image` is an object URL of the uploaded image, drawn under page 1 when the input is one. */
export function renderPreview(tree: OcrJson, image: string | undefined): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'preview';
  tree.pages.slice(0, MAX_PAGES).forEach((page, i) => wrap.append(pageView(page, i, i === 0 ? image : undefined)));
  if (tree.pages.length > MAX_PAGES) wrap.append(Object.assign(document.createElement('p'), { textContent: `${tree.pages.length - MAX_PAGES} more pages are in the download.` }));
  return wrap;
}
