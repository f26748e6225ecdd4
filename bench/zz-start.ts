import { startLocalApp } from './support/local-app.ts';
const t = Date.now();
const app = await startLocalApp({ log: console.log });
console.log('started in', Date.now() - t, app);
const r = await fetch(app.base + '/health');
console.log(r.status);
app.stop();
console.log('stopped');
