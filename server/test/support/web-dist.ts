import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * A built web UI as `npm run build -w web` leaves it: index.html, a hashed script and stylesheet under
 * assets/, each with its .br and .gz sibling (written at build time by web/precompress.ts), and the build manifest under .vite/.
 */
export function writeWebDist(dir: string): { script: string; scriptBody: string } {
  const script = 'assets/index-Bx4f9a2Q.js';
  const scriptBody = `console.log(${JSON.stringify('certdesk '.repeat(200))});\n`;
  const files: Record<string, string> = {
    'index.html': `<!doctype html><html><head><script type="module" src="/${script}"></script></head><body><div id="root"></div></body></html>\n`,
    [script]: scriptBody,
    'assets/index-C0ffee12.css': `body{margin:0}${'.x{color:red}'.repeat(100)}\n`,
    'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    '.vite/manifest.json': `{"index.html":{"file":"${script}","isEntry":true}}\n`,
  };
  for (const [name, body] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    if (name !== 'favicon.svg' && !name.startsWith('.vite/')) {
      fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body));
      fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body));
    }
  }
  return { script, scriptBody };
}
