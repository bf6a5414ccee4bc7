import fp from 'fastify-plugin';
import { dataDirPermissionWarning } from '../../db/data-dir.js';
import { openDatabase } from '../../db/open.js';
import { CertificateStore } from '../../store/certificates.js';
import { KeyEncryption } from '../../store/key-encryption.js';
import { PrivateKeyStore } from '../../store/private-keys.js';

/** The SQLite database and the sealed private-key store built on it. */
export default fp(
  async (fastify) => {
    const db = openDatabase(fastify.config.dataDir);
    const wide = dataDirPermissionWarning(fastify.config.dataDir);
    if (wide) fastify.log.warn({ dataDir: fastify.config.dataDir, mode: wide.mode }, wide.message);
    const keyEncryption = KeyEncryption.open(fastify.config.dataDir);
    fastify.decorate('db', db);
    fastify.decorate('keyEncryption', keyEncryption);
    fastify.decorate('privateKeys', new PrivateKeyStore(db, keyEncryption));
    fastify.decorate('certificates', new CertificateStore(db));
    fastify.addHook('onClose', async () => {
      db.close();
    });
  },
  { name: 'db' },
);
