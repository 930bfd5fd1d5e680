/**
 * What a benchmark section is: bench/run.ts runs an explicit list of sections and writes
 * every section's JSON into results.json and its markdown into results.md. To add rows (an
 * input format, a renderer), write a section file and add it to the list in run.ts.
 */
export interface BenchContext {
  cores: number;
  /** Repetitions for timed runs (medians are reported). */
  runs: number;
  /** Scratch directory, removed after the run. */
  workDir: string;
  log(message: string): void;
  /** Results of sections that ran before (memory reads throughput's figures). */
  earlier: Record<string, SectionResult>;
}

export interface SectionResult {
  /** Machine-readable figures for results.json. */
  data: unknown;
  /** Markdown for results.md (headed by the section title). */
  markdown: string;
}

export interface BenchSection {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}

export const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
export const ratio = (a: number, b: number) => (b === 0 ? '—' : `${(a / b).toFixed(2)}×`);
export const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length);
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
export const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
