/**
 * The metrics registry a process's parts report into (HTTP, worker, engine pool, callbacks),
 * rendered for Prometheus at /metrics. Built on prom-client; a series is declared where it is
 * reported, by name, and declaring it again returns the same series (several workers or apps
 * may share one registry). Label values are the caller's: never put secrets or client input
 * in them.
 */
import client from 'prom-client';

type Labels = Record<string, string | number>;

/** Seconds, from 50 ms to 10 minutes: pages and tasks alike. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 180, 600];

const names = (l: Labels) => Object.keys(l);

export class Metrics {
  readonly registry = new client.Registry();

  private series<T>(name: string, make: () => T): T {
    return (this.registry.getSingleMetric(name) as T | undefined) ?? make();
  }

  /** A counter; the returned function adds `by` (default 1) to the series with these labels. */
  counter(name: string, help: string, labelNames: string[] = []): (labels?: Labels, by?: number) => void {
    const c = this.series(name, () => new client.Counter({ name, help, labelNames, registers: [this.registry] }));
    return (labels = {}, by = 1) => {
      if (names(labels).length === 0) c.inc(by); else c.inc(labels, by);
    };
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => Promise<number> | number): void {
    this.series(name, () => new client.Gauge({
      name, help, registers: [this.registry],
      async collect() { this.set(await read()); },
    }));
  }

  /** A histogram; the returned function observes one value (seconds for latencies). */
  histogram(name: string, help: string, labelNames: string[] = [], buckets = LATENCY_BUCKETS): (labels: Labels, value: number) => void {
    const h = this.series(name, () => new client.Histogram({ name, help, labelNames, buckets, registers: [this.registry] }));
    return (labels, value) => {
      if (names(labels).length === 0) h.observe(value); else h.observe(labels, value);
    };
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
