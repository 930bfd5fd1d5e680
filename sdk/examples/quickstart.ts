// OCR one file: create, wait (following the event stream), download.
// DOCR_URL=http://localhost:8080 DOCR_API_KEY=docr_... node --import tsx sdk/examples/quickstart.ts scan.png
import { DocrClient, TaskFailedError } from '@docr/sdk';

const docr = new DocrClient({ baseUrl: process.env.DOCR_URL!, apiKey: process.env.DOCR_API_KEY! });
const task = await docr.createTask({ file: process.argv[2], languages: ['English', 'Digits'], format: 'txt' });
try {
  const done = await docr.waitForResult(task, {
    timeoutMs: 10 * 60_000,
    onProgress: (t) => console.error(`state ${t.state}, ${t.progress} %`),
  });
  console.log(await (await docr.download(done)).text());
} catch (e) {
  if (e instanceof TaskFailedError) console.error(`docr could not read it (state ${e.state}): ${e.message}`);
  else throw e;
  process.exitCode = 1;
}
