/**
 * Writes a decrypted copy of an encrypted PDF with qpdf. Two reasons: the searchable-PDF
 * renderer must be able to read `pdfPath` without the password, and MuPDF cannot
 * authenticate some empty owner passwords (AES-256 R6 files whose owner password is empty)
 * that qpdf accepts. The password goes through stdin, never argv (visible in `ps`).
 */
import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { runProcess } from '../../platform/run-process.js';

const QPDF_TIMEOUT_MS = 60_000;

/** The decrypted copy's path, or undefined when qpdf refused the password (or is missing). */
export async function decryptedCopy(input: string, password: string, workDir: string, signal?: AbortSignal): Promise<string | undefined> {
  const out = path.join(workDir, `decrypted-${randomUUID()}.pdf`);
  try {
    // qpdf reads the first line of the password file: a trailing newline ends it; spaces are kept.
    const r = await runProcess('qpdf', ['--password-file=-', '--decrypt', input, out], { timeoutMs: QPDF_TIMEOUT_MS, signal, input: `${password}\n` });
    // 0: done; 3: done with warnings (damaged but repaired); 2: errors (wrong password among them).
    if ((r.code === 0 || r.code === 3) && (await stat(out)).size > 0) return out;
  } catch { /* qpdf missing or the copy unreadable: treated as "could not decrypt" */ }
  await rm(out, { force: true });
  return undefined;
}
