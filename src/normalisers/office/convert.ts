/**
 * Office → PDF through LibreOffice, supervised: a bounded set of profile slots (one job each
 * at a time, a queue in front), a timeout that kills the process group, and an output check
 * (soffice exits 0 even when it converted nothing).
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DocrError } from '../../domain/errors.js';
import type { ResolvedOptions } from '../options.js';
import { SofficeSlot } from './soffice-slot.js';

export interface OfficeConverter {
  /** Converts the file (of the given extension) to a PDF inside `workDir`; returns its path. */
  toPdf(input: string, ext: string, workDir: string, signal?: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

export function createOfficeConverter(options: ResolvedOptions): OfficeConverter {
  const slots = Array.from({ length: options.officeConcurrency }, () =>
    new SofficeSlot({ sofficePath: options.sofficePath, timeoutMs: options.officeTimeoutMs, warm: options.officeWarm }));
  const free = [...slots];
  const waiters: Array<(slot: SofficeSlot) => void> = [];
  let closed = false;
  for (const s of slots) s.warmUp();

  const acquire = () => new Promise<SofficeSlot>((resolve) => {
    const s = free.pop();
    if (s) resolve(s); else waiters.push(resolve);
  });
  const release = (s: SofficeSlot) => {
    const next = waiters.shift();
    if (next) next(s); else free.push(s);
  };

  return {
    async toPdf(input, ext, workDir, signal) {
      if (closed) throw new DocrError('INTERNAL', 'The Office converter was closed.');
      const jobDir = path.join(workDir, `office-${randomUUID()}`);
      const outDir = path.join(jobDir, 'out');
      await mkdir(outDir, { recursive: true });
      try {
        return await convertIn(jobDir, outDir, input, ext, signal);
      } catch (e) {
        await rm(jobDir, { recursive: true, force: true });
        throw e;
      }
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.close()));
    },
  };

  async function convertIn(jobDir: string, outDir: string, input: string, ext: string, signal?: AbortSignal): Promise<string> {
      // LibreOffice picks import filters partly by extension: give it the detected one.
      const source = path.join(jobDir, `document.${ext}`);
      await copyFile(input, source);
      const slot = await acquire();
      let result;
      try {
        if (signal?.aborted) throw new DocrError('CANCELLED', 'The task was cancelled.');
        result = await slot.convert(source, outDir, signal);
      } finally {
        release(slot);
      }
      if (result.aborted) throw new DocrError('CANCELLED', 'The task was cancelled.');
      if (result.timedOut) {
        throw new DocrError('INVALID_FILE', `The document could not be converted: LibreOffice took longer than ${Math.round(options.officeTimeoutMs / 1000)} s.`, { found: ext });
      }
      const pdf = path.join(outDir, 'document.pdf');
      const produced = await readdir(outDir).catch((): string[] => []);
      const size = produced.includes('document.pdf') ? (await stat(pdf)).size : 0;
      if (size === 0) {
        throw new DocrError('INVALID_FILE', `The document could not be converted: LibreOffice could not read this ${ext} file (damaged or an unsupported variant).`, { found: ext });
      }
      return pdf;
  }
}
