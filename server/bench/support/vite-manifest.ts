import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** One chunk of Vite's build manifest (dist/.vite/manifest.json, `build.manifest: true`). */
interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

export interface BuiltFile {
  /** Address as the browser asks for it, e.g. /assets/index-B6lUkXfa.js */
  url: string;
  type: 'script' | 'stylesheet';
  raw: number;
  gzip: number;
  brotli: number;
  /** False when the build wrote no .gz/.br beside it (under 1 KiB): the sizes were computed here. */
  precompressed: boolean;
}

/**
 * What the browser must download before a lazy page renders: the entry chunk, the chunk whose source is
 * `pageSource`, every chunk they import statically (transitively) and their CSS. Dynamic imports are not
 * followed: another page's chunk is not loaded for this one.
 */
export function pageFiles(webDist: string, pageSource: string): BuiltFile[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(webDist, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    Chunk
  >;
  const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  if (!entry) throw new Error('the Vite manifest has no entry chunk');
  if (!manifest[pageSource]) throw new Error(`the Vite manifest has no chunk for ${pageSource}`);
  const seen = new Set<string>();
  const scripts: string[] = [];
  const styles = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the Vite manifest names ${key} but has no such chunk`);
    scripts.push(chunk.file);
    for (const css of chunk.css ?? []) styles.add(css);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  visit(entry);
  visit(pageSource);
  return [
    ...scripts.map((f) => sizes(webDist, f, 'script')),
    ...[...styles].map((f) => sizes(webDist, f, 'stylesheet')),
  ];
}

/** The file as built and its .gz / .br siblings as the build wrote them (the bytes the server sends). */
export function sizes(webDist: string, file: string, type: BuiltFile['type']): BuiltFile {
  const full = path.join(webDist, file);
  const body = fs.readFileSync(full);
  const sibling = (ext: string, compress: (b: Buffer) => Buffer) =>
    fs.existsSync(full + ext) ? fs.statSync(full + ext).size : compress(body).length;
  return {
    url: `/${file}`,
    type,
    raw: body.length,
    gzip: sibling('.gz', (b) => zlib.gzipSync(b, { level: 9 })),
    brotli: sibling('.br', (b) => zlib.brotliCompressSync(b)),
    precompressed: fs.existsSync(`${full}.br`) || fs.existsSync(`${full}.gz`),
  };
}
