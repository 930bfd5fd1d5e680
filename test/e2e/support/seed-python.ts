/** Running the vendor's Python samples (test/data/seeds) as they are, after the URL/key/file edits. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const VENDOR = 'https://techsz.aoscdn.com';
export const SEED = '001_ebfefed5700b24f5.txt';
export const MAIN = 'if __name__ == "__main__":\n    main()';
/** The start of the polling sample with an uploaded file. */
export const POLLING_UPLOAD = "import os\nimport time\nimport requests\n\nAPI_KEY = 'YOUR_API_KEY'\nIMAGE_FILE_PATH";

export async function python(code: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-py-'));
  const file = path.join(dir, 'sample.py');
  fs.writeFileSync(file, code);
  try {
    const { stdout } = await promisify(execFile)('python3', [file], { timeout: 150_000 });
    return stdout;
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

/** The file URL out of a printed Python dict: `'file': 'http://...'`. */
export const fileUrlIn = (printed: string) => /'file': '([^']+)'/.exec(printed)?.[1];
