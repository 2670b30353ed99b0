// Worker threads do not inherit the TypeScript loader of the thread that made them: register it
// here, then load the real worker. Piscina awaits the exported promise (async set-up).
import { register } from 'tsx/esm/api';

register();
const worker = await import('./recordWorker.ts');
export default worker.default;
