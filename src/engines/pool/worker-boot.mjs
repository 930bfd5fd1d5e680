// Entry of an engine worker thread. Worker threads started from a `node --import tsx`
// process do inherit `--import tsx` in execArgv, but on Node 20 the inherited loader does
// not apply to the worker (a .ts entry fails with ERR_UNKNOWN_FILE_EXTENSION; checked on
// 20.20 with tsx 4.23), so the worker registers tsx itself before importing TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
