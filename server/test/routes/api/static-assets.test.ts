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
