/**
 * Password-protected Office files, decrypted in Node with officecrypto-tool (OOXML agile and
 * standard encryption; doc, xls BIFF8/BIFF5, ppt RC4) before LibreOffice sees them.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DocrError } from '../../domain/errors.js';

/** Excel encrypts "read-only recommended" workbooks with this well-known password; they open without one. */
const EXCEL_DEFAULT_PASSWORD = 'VelvetSweatshop';

/** Loaded with the first Office file: its import (with crypto-js) is ~120 ms that image and PDF work never needs. */
const officeCrypto = async () => (await import('officecrypto-tool')).default;

export async function isEncryptedOffice(bytes: Buffer): Promise<boolean> {
  const crypto = await officeCrypto();
  try { return crypto.isEncrypted(bytes); } catch { return false; }
}

async function tryDecrypt(bytes: Buffer, password: string): Promise<Buffer | undefined> {
  const crypto = await officeCrypto();
  try { return await crypto.decrypt(bytes, { password }); } catch { return undefined; }
}

/** Writes the decrypted file to `workDir` and returns its path. */
export async function decryptOffice(file: string, password: string | undefined, workDir: string, ext: string): Promise<string> {
  const bytes = await readFile(file);
  const given = password ?? '';
  const plain = given !== '' ? await tryDecrypt(bytes, given) : await tryDecrypt(bytes, EXCEL_DEFAULT_PASSWORD);
  if (!plain) {
    if (given === '') throw new DocrError('PASSWORD_REQUIRED', 'The Office document is password-protected: pass the password in `password`.', { found: ext });
    throw new DocrError('WRONG_PASSWORD',
      'The password given for the Office document is wrong (or the file uses an encryption docr cannot open).', { found: ext });
  }
  const out = path.join(workDir, `decrypted-${randomUUID()}.${ext}`);
  await writeFile(out, plain);
  return out;
}
