// Worker threads do not inherit the TypeScript loader of the thread that made them: register it
// here, then load the real worker (as worker/entry.mjs does for the record workers).
import { register } from 'tsx/esm/api';

register();
await import('./trainingWorker.ts');
