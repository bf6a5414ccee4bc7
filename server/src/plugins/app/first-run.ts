import fs from 'node:fs';
import fp from 'fastify-plugin';
import { setupTokenFile } from '../../config.js';

/**
 * First start with no account: either create `admin` from CERTDESK_ADMIN_PASSWORD (unattended installs)
 * or print a one-time setup link to the log and leave it in data/setup-token (0600), like Jenkins.
 */
export default fp(
  async (fastify) => {
    const { auth, config } = fastify;
    const tokenFile = setupTokenFile(config.dataDir);
    if (auth.userCount() > 0) {
      fs.rmSync(tokenFile, { force: true });
      return;
    }
    if (config.adminPassword) {
      await auth.createUser('admin', config.adminPassword);
      fastify.audit.record(null, {
        actor: 'system',
        action: 'user.create',
        target: 'admin',
        details: { via: 'env' },
      });
      fastify.log.info('created user "admin" from CERTDESK_ADMIN_PASSWORD');
      return;
    }
    const token = auth.newSetupToken();
    fs.writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    // The one place a secret is printed on purpose: it is single-use and dies with the first account.
    fastify.log.warn(
      `No administrator yet. Finish setup at http://${host}:${config.httpPort}/setup?token=${token} (also in ${tokenFile})`,
    );
  },
  { name: 'first-run', dependencies: ['auth', 'audit'] },
);
