/**
 * Worker-thread entry: one MupdfSession per worker, driven by request messages from
 * MupdfWorker (mupdf-thread.ts). Errors travel back as catalogue codes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as mupdf from 'mupdf';
import { isDocrError } from '../../domain/errors.js';
import type { ResolvedOptions } from '../options.js';
import { MupdfSession } from './mupdf-session.js';
import type { MupdfReply, MupdfRequest } from './mupdf-thread.js';

const { options, forwardWarnings } = workerData as { options: ResolvedOptions; forwardWarnings: boolean };
const port = parentPort!;
const warn = (message: string) => port.postMessage({ warning: message } satisfies MupdfReply);
// MuPDF reports recoverable damage through its log; the outcome is what counts (errors are thrown).
mupdf.setLog(forwardWarnings ? { warning: warn, error: warn } : null);
const session = new MupdfSession(options);

function dispatch(req: MupdfRequest): unknown {
  switch (req.op) {
    case 'open': return session.open(req.path);
    case 'authenticate': return session.authenticate(req.password);
    case 'prepare': return session.prepare();
    case 'preflight': return session.preflight(req.index);
    case 'load': return session.load(req.index);
    case 'render': return session.render(req.index);
    case 'bmpToPng': return session.bmpToPng(req.path);
    case 'close': return session.close();
  }
}

/** Raw page samples move to the main thread without a copy. */
function transferables(value: unknown): ArrayBuffer[] {
  const v = value as { raw?: Uint8Array; image?: { raw?: Uint8Array } } | undefined;
  const raw = v?.raw ?? v?.image?.raw;
  return raw ? [raw.buffer as ArrayBuffer] : [];
}

port.on('message', (req: MupdfRequest) => {
  try {
    const value = dispatch(req);
    port.postMessage({ id: req.id, value } satisfies MupdfReply, transferables(value));
  } catch (e) {
    const error = isDocrError(e)
      ? { code: e.code, message: e.message, details: e.details }
      : { code: 'INTERNAL' as const, message: `MuPDF failed: ${String((e as Error)?.message ?? e)}`, details: {} };
    port.postMessage({ id: req.id, error } satisfies MupdfReply);
  }
});
