import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Db, openDatabase } from '../../src/db/open.js';
import { CertificateLifecycle } from '../../src/services/certificate-lifecycle.js';
import { BindingStore } from '../../src/store/bindings.js';
import { CertificateStore } from '../../src/store/certificates.js';
import { CsrStore } from '../../src/store/csrs.js';
import { KeyEncryption } from '../../src/store/key-encryption.js';
import { KvStore } from '../../src/store/kv.js';
import { PrivateKeyStore } from '../../src/store/private-keys.js';
import { defaultServerSettings } from '../../src/store/server-settings.js';
import { makeLeaf, makePki, type TestChain } from '../support/pki.js';

/**
 * The lifecycle service on a real database, with the listener reload injected: when the listener
 * refuses the new certificate, the database goes back to saying what is served.
 */

let dir: string;
let db: Db;
let pki: TestChain;
let certificates: CertificateStore;
let privateKeys: PrivateKeyStore;
let bindings: BindingStore;
let kv: KvStore;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-lifecycle-'));
  db = openDatabase(dir);
  certificates = new CertificateStore(db);
  privateKeys = new PrivateKeyStore(db, KeyEncryption.open(dir));
  bindings = new BindingStore(db);
  kv = new KvStore(db);
  pki = await makePki();
});

after(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function lifecycle(reload: () => Promise<void>): CertificateLifecycle {
  return new CertificateLifecycle({
    db,
    certificates,
    privateKeys,
    csrs: new CsrStore(db),
    bindings,
    kv,
    defaults: () => defaultServerSettings(8080, 8443),
    reload,
  });
}

async function store(cn: string, previousVersionId: number | null = null): Promise<number> {
  const leaf = await makeLeaf(pki.intermediate, { cn });
  return db.transaction(() =>
    certificates.insert({
      cert: leaf.cert,
      chain: [],
      keyId: privateKeys.insert(leaf.key),
      previousVersionId,
    }),
  )();
}

describe('certificate lifecycle', () => {
  test('a promote whose reload fails leaves the active setting, bindings and versions as they were', async () => {
    const old = await store('old.example.test');
    const fresh = await store('fresh.example.test', old);
    kv.setServerSettings({ ...defaultServerSettings(8080, 8443), activeCertificateId: old });
    bindings.insert('svc.example.test', old);

    let reloads = 0;
    const refusing = lifecycle(async () => {
      reloads++;
      if (reloads === 1) throw new Error('listener refused the certificate');
    });
    await assert.rejects(refusing.promote(fresh), /listener refused/);
    assert.equal(reloads, 2, 'reloads again after undoing, so the listener matches the database');
    assert.equal(kv.serverSettings(defaultServerSettings(8080, 8443)).activeCertificateId, old);
    assert.equal(bindings.findByHostname('svc.example.test')?.certificate_id, old);
    assert.equal(certificates.get(old)?.superseded_by_id, null);

    const moved = await lifecycle(async () => {}).promote(fresh);
    assert.deepEqual(moved, { from: old, to: fresh, movedActive: true, movedBindings: ['svc.example.test'] });
    assert.equal(certificates.get(old)?.superseded_by_id, fresh);
  });

  test('a restore whose reload fails keeps the newer version in use and the older one superseded', async () => {
    const old = await store('r-old.example.test');
    const fresh = await store('r-fresh.example.test', old);
    bindings.insert('r.example.test', old);
    await lifecycle(async () => {}).promote(fresh);

    const failing = lifecycle(async () => {
      throw new Error('no');
    });
    await assert.rejects(failing.restore(old), /no/);
    assert.equal(bindings.findByHostname('r.example.test')?.certificate_id, fresh);
    assert.equal(certificates.get(old)?.superseded_by_id, fresh);
  });
});
