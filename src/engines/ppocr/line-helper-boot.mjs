// Entry of a line helper thread run from the TypeScript sources: on Node 20 a worker thread does
// not apply the parent's tsx loader (see ../pool/worker-boot.mjs), so it registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./line-helper-main.ts');
