/**
 * Progress of `docr ocr` on multi-page work, on stderr: on a terminal one bar redrawn in place
 * (pages done of total over every file, pages per minute, ETA); otherwise a plain line per page,
 * so logs and pipes get readable text without control characters. When a multi-page file ends,
 * one line says how long it took. Single-page files say nothing (a one-image call stays quiet).
 * With `perFile` (the remote mode: every file is a task on the server) each file gets a bar of
 * its own with a word on its state, single pages included.
 */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

interface FileState { name: string; done: number; total: number; started: number; note?: string }

export interface ProgressOptions {
  /** One bar per file, each with a note on its state, instead of one bar over every file. */
  perFile?: boolean;
}

const BAR_WIDTH = 24;

function bar(done: number, total: number): string {
  const filled = total > 0 ? Math.round((BAR_WIDTH * Math.min(done, total)) / total) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0'), ss = String(r).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export class OcrProgress {
  private readonly files = new Map<string, FileState>();
  private readonly started: number;
  /** Lines of the display now on the terminal (0: none). */
  private drawn = 0;

  constructor(private readonly out: ProgressStream, private readonly now: () => number = Date.now, private readonly options: ProgressOptions = {}) {
    this.started = now();
  }

  /** A file's page count is known, or one more of its pages is done; `note` says its state (perFile). */
  update(file: string, done: number, total: number, note?: string): void {
    let f = this.files.get(file);
    if (!f) this.files.set(file, f = { name: file, done: 0, total, started: this.now() });
    if (done === f.done && total === f.total && note === f.note) return;
    f.total = total;
    f.done = done;
    f.note = note;
    if (this.options.perFile) {
      if (this.out.isTTY) this.drawFiles();
      else this.out.write(`${file}: ${note ?? `page ${done}/${total}`}\n`);
      return;
    }
    if (this.all().total <= 1) return;
    if (this.out.isTTY) this.draw();
    else if (done > 0 && total > 1) this.out.write(`${file}: page ${done}/${total}${this.rates(f.done, f.total, f.started)}\n`);
  }

  /** The file is finished (or failed): its timing line, and the bar redrawn below it. */
  finish(file: string): void {
    const f = this.files.get(file);
    if (!f || f.total <= 1) return;
    const seconds = (this.now() - f.started) / 1000;
    const n = f.done;
    this.clear();
    this.out.write(`${file}: ${n}${n < f.total ? ` of ${f.total}` : ''} pages in ${seconds.toFixed(1)} s (${(n / (seconds / 60)).toFixed(1)} pages/min)\n`);
    if (this.out.isTTY && [...this.files.values()].some((x) => x.done < x.total)) {
      if (this.options.perFile) this.drawFiles(); else this.draw();
    }
  }

  /** Removes the bar(s) (before other output, and at the end). */
  clear(): void {
    if (this.drawn > 0) this.out.write(`\r\x1b[2K${'\x1b[1A\x1b[2K'.repeat(this.drawn - 1)}`);
    this.drawn = 0;
  }

  private all(): { done: number; total: number } {
    let done = 0, total = 0;
    for (const f of this.files.values()) { done += f.done; total += f.total; }
    return { done, total };
  }

  private rates(done: number, total: number, since: number): string {
    const minutes = (this.now() - since) / 60_000;
    if (done === 0 || minutes <= 0) return '';
    const perMin = done / minutes;
    return ` · ${perMin.toFixed(1)} pages/min · ETA ${formatDuration(((total - done) / perMin) * 60)}`;
  }

  private fit(line: string): string {
    return line.slice(0, Math.max(20, (this.out.columns ?? 80) - 1));
  }

  private draw(): void {
    const { done, total } = this.all();
    const line = `${bar(done, total)} ${done}/${total} pages${this.rates(done, total, this.started)}`;
    this.out.write(`\r\x1b[2K${this.fit(line)}`);
    this.drawn = 1;
  }

  /** One line per file, redrawn in place as a block. */
  private drawFiles(): void {
    const lines = [...this.files.values()].map((f) => this.fit(`${bar(f.done, f.total)} ${f.name}: ${f.note ?? `${f.done}/${f.total} pages`}`));
    this.clear();
    this.out.write(lines.join('\n'));
    this.drawn = lines.length;
  }
}
