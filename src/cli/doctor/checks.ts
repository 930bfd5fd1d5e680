/**
 * What `docr doctor` looks at: everything docr needs outside its own code (Node, the PP-OCR
 * models and ONNX Runtime, Tesseract and its language packs, LibreOffice, qpdf, the fonts
 * documents are rendered with, and room in the data dir), each with the way to fix it.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REQUIRED_LANGUAGES, tesseractPackageOf } from '../../contract/languages.js';
import { defaultModelDir } from '../../engines/ppocr/models.js';
import { runProcess } from '../../platform/run-process.js';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  verdict: Verdict;
  detail: string;
  /** How to fix it (absent when ok). */
  fix?: string;
}

export interface CheckEnv {
  dataDir: string;
  /** The environment programs are looked up and run in. */
  env: NodeJS.ProcessEnv;
}

const GiB = 1024 ** 3;
const SETUP = 'or run `npm run setup`, which installs every Debian package docr needs';
const aptInstall = (pkgs: string[]) => `apt-get install --no-install-recommends ${pkgs.join(' ')} (${SETUP})`;

/** Runs `cmd args`; the first line of its output, or undefined when it cannot run. */
async function firstLine(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<string | undefined> {
  try {
    const r = await runProcess(cmd, args, { timeoutMs, env });
    if (r.code !== 0) return undefined;
    return `${r.stdout.toString('utf8')}\n${r.stderr}`.trim().split('\n')[0];
  } catch { return undefined; }
}

async function program(name: string, cmd: string, args: string[], pkgs: string[], env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const version = await firstLine(cmd, args, env);
  return version ? { name, verdict: 'ok', detail: version } : { name, verdict: 'fail', detail: `\`${cmd}\` is not installed or does not run`, fix: aptInstall(pkgs) };
}

async function nodeCheck(): Promise<CheckResult> {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20 ? { name: 'Node.js', verdict: 'ok', detail: process.versions.node }
    : { name: 'Node.js', verdict: 'fail', detail: `${process.versions.node} is older than 20`, fix: 'install Node.js 20 or later' };
}

async function modelsCheck(): Promise<CheckResult> {
  const name = 'PP-OCR models and ONNX Runtime';
  try {
    const dir = defaultModelDir();
    const missing = ['ch_PP-OCRv4_det_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx'].filter((f) => !existsSync(path.join(dir, f)));
    if (missing.length) return { name, verdict: 'fail', detail: `missing ${missing.join(', ')} in ${dir}`, fix: 'reinstall the npm packages: `npm ci`' };
    await import('onnxruntime-node');
    return { name, verdict: 'ok', detail: dir };
  } catch (e) {
    return { name, verdict: 'fail', detail: `cannot load: ${(e as Error).message.split('\n')[0]}`, fix: 'reinstall the npm packages: `npm ci`' };
  }
}

async function tesseractPacks(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const name = 'Tesseract language packs';
  let listed: string[];
  try {
    const r = await runProcess('tesseract', ['--list-langs'], { timeoutMs: 15_000, env });
    if (r.code !== 0) throw new Error('tesseract failed');
    listed = r.stdout.toString('utf8').split('\n').slice(1).map((l) => l.trim());
  } catch {
    return { name, verdict: 'fail', detail: 'Tesseract cannot list its models', fix: aptInstall(['tesseract-ocr']) };
  }
  const missing = [...new Set([...Object.values(REQUIRED_LANGUAGES), 'osd'])].filter((c) => !listed.includes(c));
  if (missing.length === 0) return { name, verdict: 'ok', detail: `${listed.filter(Boolean).length} installed, every required language among them` };
  return { name, verdict: 'fail', detail: `missing ${missing.join(', ')}`, fix: aptInstall(missing.map(tesseractPackageOf)) };
}

const FONTS: Array<[family: string, pkg: string]> = [
  ['Noto Sans CJK SC', 'fonts-noto-cjk'], ['Liberation Serif', 'fonts-liberation2'], ['Carlito', 'fonts-crosextra-carlito'], ['Caladea', 'fonts-crosextra-caladea'],
];

async function fontsCheck(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const name = 'fonts (Office conversion, CJK)';
  let families: string;
  try {
    const r = await runProcess('fc-list', [':', 'family'], { timeoutMs: 30_000, env });
    if (r.code !== 0) throw new Error('fc-list failed');
    families = r.stdout.toString('utf8');
  } catch {
    return { name, verdict: 'fail', detail: 'fontconfig (fc-list) is not available', fix: aptInstall(['fontconfig', ...FONTS.map(([, p]) => p)]) };
  }
  const missing = FONTS.filter(([f]) => !families.includes(f));
  if (missing.length === 0) return { name, verdict: 'ok', detail: FONTS.map(([f]) => f).join(', ') };
  return { name, verdict: 'warn', detail: `missing ${missing.map(([f]) => f).join(', ')}: documents using them are converted with substitutes`, fix: aptInstall(missing.map(([, p]) => p)) };
}

/** The data dir (or its nearest existing parent) has room and can be written. */
async function diskCheck(dataDir: string): Promise<CheckResult> {
  const name = 'data dir';
  const dir = path.resolve(dataDir);
  try {
    await mkdir(dir, { recursive: true });
    const probe = path.join(dir, `.doctor-${process.pid}`);
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
    const s = await statfs(dir);
    const free = s.bavail * s.bsize;
    const detail = `${dir}: ${(free / GiB).toFixed(1)} GiB free`;
    if (free < GiB) return { name, verdict: 'fail', detail, fix: 'free disk space or point --data-dir elsewhere: uploads (up to 200 MB each), results and work files live there' };
    if (free < 5 * GiB) return { name, verdict: 'warn', detail, fix: 'free disk space: a few large tasks at once can fill less than 5 GiB' };
    return { name, verdict: 'ok', detail };
  } catch (e) {
    return { name, verdict: 'fail', detail: `${dir} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, fix: 'make the data dir writable by this user, or point --data-dir elsewhere' };
  }
}

export async function runChecks(c: CheckEnv): Promise<CheckResult[]> {
  return Promise.all([
    nodeCheck(),
    modelsCheck(),
    program('Tesseract', 'tesseract', ['--version'], ['tesseract-ocr'], c.env),
    tesseractPacks(c.env),
    program('LibreOffice', 'soffice', ['--version'], ['libreoffice-writer-nogui', 'libreoffice-calc-nogui', 'libreoffice-impress-nogui'], c.env),
    program('qpdf', 'qpdf', ['--version'], ['qpdf'], c.env),
    fontsCheck(c.env),
    diskCheck(c.dataDir),
  ]);
}
