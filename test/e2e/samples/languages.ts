/**
 * How each language's samples are cut from the seed, edited and run. The only edits are the
 * ones a user makes: base URL, key, image URL, file, callback URL — plus the two the issue
 * names because the samples do not build as printed: GoFrame's `g.Map` (the Go samples never
 * import GoFrame) becomes `map[string]interface{}`, and OkHttp 4's `RequestBody.create(File,
 * MediaType)` takes OkHttp 3's argument order (Debian ships OkHttp 3). Java samples are
 * printed as bare methods or statements: they get a class around them with the imports
 * they use; the Go `package api` sample is a test function: it gets a test that calls it.
 * Node samples read `./test.jpg` beside them and Go ones `test.jpg` in their directory, so
 * the image is copied there under that name (docr types uploads by content, not by name).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, substitute } from '../live-docr.js';
import { isCallbackSection, isUrlSection, sectionSample, type SectionName } from './seed-sections.js';

const exec = promisify(execFile);
const VENDOR = 'https://techsz.aoscdn.com';
const JAVA_CP = ['okhttp', 'okio', 'com.android.json'].map((j) => `/usr/share/java/${j}.jar`).join(':');

/** What a user fills in. */
export interface Places { base: string; key: string; imageUrl: string; callbackUrl: string; image: string }

export interface SampleRun { stdout: string; stderr: string; code: number }

export interface Language {
  name: string;
  /** Writes the section's create (and poll) sample into `dir`, builds it if needed, runs it. */
  run(section: SectionName, places: Places, dir: string): Promise<SampleRun>;
  /** The section's callback-handler sample, when the language has one, fed the body docr posted. */
  handle?(section: SectionName, body: string, dir: string): Promise<SampleRun>;
}

/** Runs a program to its end; a non-zero exit is returned, not thrown (some samples throw on purpose). */
export async function runProgram(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<SampleRun> {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, timeout: 150_000, env: { ...process.env, ...env }, maxBuffer: 16 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number | string };
    if (typeof err.code !== 'number') throw e;
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: err.code };
  }
}

/** The user's edits that apply to a section's create sample. */
function edits(section: SectionName, p: Places, names: { imageUrl?: string; callback?: string; file?: string }): Record<string, string> {
  const out: Record<string, string> = { [VENDOR]: p.base, YOUR_API_KEY: p.key };
  if (isUrlSection(section) && names.imageUrl) out[names.imageUrl] = p.imageUrl;
  if (!isUrlSection(section) && names.file) out[names.file] = p.image;
  if (isCallbackSection(section) && names.callback) out[names.callback] = p.callbackUrl;
  return out;
}

function write(dir: string, file: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const full = path.join(dir, file);
  fs.writeFileSync(full, text);
  return full;
}

/** Replaces the literal between `open` and `close` (a sample's hard-coded callback body) with `body`. */
function withBody(sample: string, open: string, close: string, body: string): string {
  const i = sample.indexOf(open);
  const j = sample.indexOf(close, i + open.length);
  if (i < 0 || j < 0) throw new Error(`no ${open}...${close} literal in the sample`);
  return substitute(sample, { [sample.slice(i, j + close.length)]: `${open}${body}${close}` });
}

export const PHP: Language = {
  name: 'PHP',
  async run(section, p, dir) {
    const sample = sectionSample(section, '<?php\n//Create a task', ['public static void main', '<?php\n// Callback code.']);
    const file = write(dir, 'sample.php', substitute(sample, edits(section, p, { imageUrl: 'YOUR_IMG_URL', callback: 'YOUR_URL', file: '/path/to/image.jpg' })));
    return runProgram('php', [file], dir);
  },
  async handle(section, body, dir) {
    const sample = sectionSample(section, '<?php\n// Callback code.', ['OkHttpClient okHttpClient']);
    return runProgram('php', [write(dir, 'callback.php', withBody(sample, "$jsonData = '", "';", body))], dir);
  },
};

export const NODE: Language = {
  name: 'Node',
  async run(section, p, dir) {
    const sample = sectionSample(section, 'const request = require("request");', ['\nimport ']);
    write(dir, 'sample.js', substitute(sample, edits(section, p, { imageUrl: 'IMAGE_HTTP_URL', callback: 'YOUR_SERVER_URL' })));
    fs.copyFileSync(p.image, path.join(dir, 'test.jpg'));
    // The samples `require("request")`: resolve it from docr's dev dependencies.
    return runProgram(process.execPath, ['sample.js'], dir, { NODE_PATH: path.join(ROOT, 'node_modules') });
  },
};

export const PYTHON: Language = {
  name: 'Python',
  async run(section, p, dir) {
    const start = { 'url-polling': 'import time\nimport requests', 'url-callback': 'import requests\n', 'file-polling': 'import os\nimport time', 'file-callback': 'import os\nimport requests' }[section];
    const sample = sectionSample(section, start, ['using System;']);
    const file = write(dir, 'sample.py', substitute(sample, edits(section, p, { imageUrl: 'YOUR_IMAGE_NETWORK_URL', callback: 'YOUR_SERVER_URL', file: 'YOUR_IMAGE_FILE_PATH' })));
    return runProgram('python3', [file], dir);
  },
};

export const JAVA: Language = {
  name: 'Java',
  async run(section, p, dir) {
    const callback = isCallbackSection(section);
    const sample = sectionSample(section, callback ? 'OkHttpClient okHttpClient' : 'public static void main', ['const request = require']);
    const edited = substitute(sample, {
      ...edits(section, p, { imageUrl: 'IMAGE_HTTP_URL', callback: 'YOUR_SERVER_URL' }),
      ...(isUrlSection(section) ? {} : {
        JPG_FILE_NAME: JSON.stringify(path.basename(p.image)),
        'RequestBody.create({JPG_FILE}, MediaType.parse("image/jpeg"))': `RequestBody.create(MediaType.parse("image/jpeg"), new File(${JSON.stringify(p.image)}))`,
      }),
    });
    const body = callback ? `public static void main(String[] args) throws Exception {\n${edited}\n}` : edited;
    const source = `import java.io.File;\nimport okhttp3.*;\nimport org.json.JSONObject;\n\npublic class Sample {\n${body}\n}\n`;
    await exec('javac', ['-cp', JAVA_CP, '-d', dir, write(dir, 'Sample.java', source)], { timeout: 120_000 });
    return runProgram('java', ['-cp', `${JAVA_CP}:${dir}`, 'Sample'], dir);
  },
};

/** Go builds share one module cache per test run (`goCache`), so the standard library compiles once. */
export function goLanguage(goCache: string): Language {
  const env = { GOCACHE: goCache, GOFLAGS: '-mod=mod', GO111MODULE: 'on', GOPROXY: 'off', GOTOOLCHAIN: 'local' };
  const module = (dir: string) => write(dir, 'go.mod', 'module sample\n\ngo 1.19\n');
  const build = async (dir: string) => {
    await exec('go', ['build', '-o', 'sample', '.'], { cwd: dir, env: { ...process.env, ...env }, timeout: 120_000 });
    return runProgram(path.join(dir, 'sample'), [], dir);
  };
  return {
    name: 'Go',
    async run(section, p, dir) {
      const callback = isCallbackSection(section);
      const sample = callback
        ? sectionSample(section, '// File 1: User server initiates a request.', ['// picwish server initiates'])
        : sectionSample(section, 'package main', ['#Create a']);
      const edited = substitute(sample, { ...edits(section, p, { imageUrl: 'YOUR_IMG_URL', callback: 'YOUR_SERVER_URL' }), ...(callback ? {} : { 'g.Map': 'map[string]interface{}' }) });
      module(dir);
      write(dir, 'sample.go', edited);
      fs.copyFileSync(p.image, path.join(dir, 'test.jpg'));
      if (!edited.includes('package api')) return build(dir);
      // The image_url + callback sample is a test function whose name `go test` does not
      // recognise (a lower-case letter after "Test"): a well-named test calls it.
      write(dir, 'harness_test.go', 'package api\n\nimport "testing"\n\nfunc TestSample(t *testing.T) { TestocrTechApi(t) }\n');
      await exec('go', ['test', '-c', '-vet=off', '-o', 'sample.test', '.'], { cwd: dir, env: { ...process.env, ...env }, timeout: 120_000 });
      return runProgram(path.join(dir, 'sample.test'), ['-test.run', 'TestSample', '-test.v'], dir);
    },
    async handle(section, body, dir) {
      const sample = sectionSample(section, '// picwish server initiates', ['#Create a', 'API Reference']);
      module(dir);
      write(dir, 'main.go', withBody(substitute(sample, { 'g.Map': 'map[string]interface{}' }), 'jsonData := `', '`', body));
      return build(dir);
    },
  };
}
