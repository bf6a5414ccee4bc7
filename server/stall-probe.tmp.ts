import fs from 'node:fs';
import { readPkcs12 } from './src/cert/pkcs12.js';
import { detectFile } from './src/cert/detect.js';
let last = performance.now();
let worst = 0;
const t = setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last - 1); last = now; }, 1);
for (const f of ['a.pfx', 'b.pfx']) {
  const der = fs.readFileSync(`/tmp/kg/pfx/${f}`);
  for (let i = 0; i < 8; i++) {
    worst = 0; last = performance.now();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await readPkcs12(der, 'bench');
    const cpu = process.cpuUsage(cpu0);
    console.log(f, i, 'wall', (performance.now() - t0).toFixed(0), 'main-thread cpu ms', ((cpu.user + cpu.system) / 1000).toFixed(1), 'worst stall', worst.toFixed(1));
  }
}
clearInterval(t);
process.exit(0);
