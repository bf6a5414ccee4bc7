import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { ASSET_CACHE_CONTROL, PAGE_CACHE_CONTROL } from '../../../src/plugins/external/web.js';
import { createTestApp, type TestApp, tempDir } from '../../support/app.js';
import { writeWebDist } from '../../support/web-dist.js';

/** The built web UI: precompressed files sent as they are, long cache for hashed assets (issue 15). */
describe('static web assets', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let webDist: string;
  let script: string;
  let scriptBody: string;

  before(async () => {
    webDist = tempDir('certdesk-web-');
    ({ script, scriptBody } = writeWebDist(webDist));
    ({ app, close } = await createTestApp({ CERTDESK_WEB_DIST: webDist }));
  });
  after(async () => {
    await close();
    fs.rmSync(webDist, { recursive: true, force: true });
  });

  const get = (url: string, acceptEncoding?: string) =>
    app.inject({
      method: 'GET',
      url,
      headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
    });

  test('a hashed script: brotli or gzip file as the browser accepts, else the plain file; immutable', async () => {
    const br = await get(`/${script}`, 'gzip, deflate, br');
    assert.equal(br.statusCode, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), scriptBody);
    assert.deepEqual(br.rawPayload, fs.readFileSync(path.join(webDist, `${script}.br`)), 'the file as built');
    assert.match(String(br.headers['content-type']), /javascript/);
    assert.equal(br.headers['cache-control'], ASSET_CACHE_CONTROL);
    assert.match(String(br.headers.vary), /accept-encoding/i);

    const gz = await get(`/${script}`, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), scriptBody);
    assert.equal(gz.headers['cache-control'], ASSET_CACHE_CONTROL);

    const plain = await get(`/${script}`, 'identity');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, scriptBody);
    assert.equal(plain.headers['cache-control'], ASSET_CACHE_CONTROL);

    const css = await get('/assets/index-C0ffee12.css', 'br');
    assert.equal(css.headers['content-encoding'], 'br');
    assert.equal(css.headers['cache-control'], ASSET_CACHE_CONTROL);
  });

  test('index.html and client-side routes: no-cache, precompressed too', async () => {
    for (const url of ['/', '/index.html', '/certificates/12']) {
      const res = await get(url, 'br, gzip');
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/html/, url);
      assert.equal(res.headers['cache-control'], PAGE_CACHE_CONTROL, url);
      const html =
        res.headers['content-encoding'] === 'br'
          ? zlib.brotliDecompressSync(res.rawPayload).toString()
          : res.body;
      assert.ok(html.includes(script), url);
    }
    const favicon = await get('/favicon.svg');
    assert.equal(
      favicon.headers['cache-control'],
      PAGE_CACHE_CONTROL,
      'unhashed public files are revalidated',
    );
  });

  test('a missing hashed asset is a 404, not the page', async () => {
    const res = await get('/assets/index-Gone1234.js');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'NOT_FOUND');
  });
});

describe('static web assets: revalidation', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let webDist: string;
  let script: string;

  before(async () => {
    webDist = tempDir('certdesk-web-');
    ({ script } = writeWebDist(webDist));
    ({ app, close } = await createTestApp({ CERTDESK_WEB_DIST: webDist }));
  });
  after(async () => {
    await close();
    fs.rmSync(webDist, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string>, method: 'GET' | 'HEAD' = 'GET') =>
    app.inject({ method, url, headers });

  test('each encoding has its own ETag, and If-None-Match with it answers 304 with the same headers', async () => {
    const tags = new Set<string>();
    for (const enc of ['br', 'gzip', 'identity']) {
      const first = await get(`/${script}`, { 'accept-encoding': enc });
      const etag = String(first.headers.etag);
      assert.match(etag, /^(W\/)?"/, enc);
      tags.add(etag);
      const again = await get(`/${script}`, { 'accept-encoding': enc, 'if-none-match': etag });
      assert.equal(again.statusCode, 304, enc);
      assert.equal(again.rawPayload.length, 0, enc);
      assert.equal(again.headers.etag, etag, enc);
      assert.equal(again.headers['cache-control'], ASSET_CACHE_CONTROL, enc);
      assert.match(String(again.headers.vary), /accept-encoding/i, enc);
    }
    assert.equal(tags.size, 3, 'a cache must never take one encoding for another');
  });

  test('index.html revalidates: 304 on a matching ETag, 200 with the page once it changed', async () => {
    const first = await get('/', { 'accept-encoding': 'gzip' });
    const etag = String(first.headers.etag);
    const same = await get('/certificates', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    assert.equal(same.statusCode, 304);
    assert.equal(same.headers['cache-control'], PAGE_CACHE_CONTROL);
    const stale = await get('/', { 'accept-encoding': 'gzip', 'if-none-match': '"not-the-tag"' });
    assert.equal(stale.statusCode, 200);
    assert.equal(stale.headers['content-encoding'], 'gzip');
  });

  test('no Accept-Encoding: the plain file, still marked as varying by it', async () => {
    const res = await get(`/${script}`, {});
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.match(String(res.headers.vary), /accept-encoding/i);
  });

  test('an encoding refused with q=0 is not sent; the preferred one is', async () => {
    const noBr = await get(`/${script}`, { 'accept-encoding': 'br;q=0, gzip' });
    assert.equal(noBr.headers['content-encoding'], 'gzip');
    const none = await get(`/${script}`, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    assert.equal(none.headers['content-encoding'], undefined);
    const prefersGzip = await get(`/${script}`, { 'accept-encoding': 'br;q=0.5, gzip;q=1' });
    assert.equal(prefersGzip.headers['content-encoding'], 'gzip');
  });

  test('HEAD answers the headers of GET, without a body', async () => {
    const res = await get(`/${script}`, { 'accept-encoding': 'br' }, 'HEAD');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(res.headers['cache-control'], ASSET_CACHE_CONTROL);
    assert.equal(res.rawPayload.length, 0);
  });

  test('the compressed siblings and the build manifest are never sent as files of their own', async () => {
    for (const url of [`/${script}.br`, `/${script}.gz`]) {
      const res = await get(url, { 'accept-encoding': 'identity' });
      assert.equal(res.statusCode, 404, url);
    }
    // Nothing outside the build directory, however the path is spelled.
    for (const url of [
      '/assets/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/%2e%2e%2findex.html.br',
    ]) {
      const res = await get(url, { 'accept-encoding': 'identity' });
      assert.ok(!res.body.includes('"name"') && res.statusCode !== 500, `${url}: ${res.statusCode}`);
      assert.notEqual(res.headers['content-type'], 'application/json', url);
    }
    // Outside assets/ an unknown address is a console route: the page, never the file's bytes.
    for (const file of ['index.html.br', '.vite/manifest.json']) {
      const res = await get(`/${file}`, { 'accept-encoding': 'identity' });
      assert.notDeepEqual(res.rawPayload, fs.readFileSync(path.join(webDist, file)), file);
      assert.match(String(res.headers['content-type']), /^text\/html/, file);
      assert.equal(res.headers['content-encoding'], undefined, file);
    }
  });
});
