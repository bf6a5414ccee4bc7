import fp from 'fastify-plugin';
import { dataDirPermissionWarning } from '../../db/data-dir.js';
import { openDatabase } from '../../db/open.js';
import { KeyEncryption } from '../../store/key-encryption.js';

/** The SQLite database and the key-encryption key the private-key repository seals with. */
export default fp(
  async (fastify) => {
    const db = openDatabase(fastify.config.dataDir);
    const wide = dataDirPermissionWarning(fastify.config.dataDir);
    if (wide) fastify.log.warn({ dataDir: fastify.config.dataDir, mode: wide.mode }, wide.message);
    fastify.decorate('db', db);
    fastify.decorate('keyEncryption', KeyEncryption.open(fastify.config.dataDir));
    fastify.addHook('onClose', async () => {
      db.close();
    });
  },
  { name: 'db' },
);
