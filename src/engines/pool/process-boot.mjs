// Entry of an engine child process: registers tsx (the sources are TypeScript; the process
// is forked without the parent's execArgv, which may hold test-runner flags), then runs it.
import { register } from 'tsx/esm/api';

register();
await import('./process-main.ts');
