/**
 * Peak memory, from the throughput runs: docr's figure is the peak resident set (VmHWM) of
 * the docr process, which holds every engine worker thread; Tesseract's is the largest
 * peak of any one tesseract process (/usr/bin/time), and × cores for the set running at once.
 */
import type { ShapeResult } from './throughput.js';
import { mib, ratio, table, type BenchSection, type SectionResult } from './section.js';

export const memorySection: BenchSection = {
  id: 'memory',
  title: 'Peak memory',
  async run(ctx): Promise<SectionResult> {
    const tp = ctx.earlier.throughput?.data as { docr: ShapeResult[]; tesseract: ShapeResult } | undefined;
    if (!tp) return { data: null, markdown: 'Needs the throughput section.' };
    const peer = tp.tesseract;
    const peerTotal = peer.peakRss * peer.workers;
    const rows = tp.docr.map((s) => ({ name: s.name, processPeak: s.peakRss, perEngine: s.peakRss / s.workers, vsTesseractSet: s.peakRss / peerTotal }));
    return {
      data: { docr: rows, tesseract: { perProcessPeak: peer.peakRss, concurrentSet: peerTotal, processes: peer.workers } },
      markdown: [
        table(['configuration', 'peak RSS (one process)', 'per engine worker (÷ engines)', `vs Tesseract's ${peer.workers} processes (${mib(peerTotal)})`],
          [...rows.map((r) => [r.name, mib(r.processPeak), mib(r.perEngine), ratio(r.processPeak, peerTotal)]),
            [peer.name, `${mib(peer.peakRss)} per process`, mib(peer.peakRss), ratio(peerTotal, peerTotal)]]),
        '',
        'docr\'s engines are worker threads of one process, so its process peak covers all of them (plus the Node runtime); "per engine worker" divides that peak evenly, an upper bound for one engine.',
      ].join('\n'),
    };
  },
};
