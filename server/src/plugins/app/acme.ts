import fs from 'node:fs';
import fp from 'fastify-plugin';
import { setGlobalAcmeCa } from '../../acme/client.js';
import type { Hook } from '../../acme/dns-hooks.js';
import { AcmeAccountService } from '../../services/acme-accounts.js';
import { AcmeOrderService } from '../../services/acme-orders.js';
import { importRepositories } from '../../services/import-service.js';
import { RenewalScheduler } from '../../services/renewal-scheduler.js';

/** Wires ACME ordering and the renewal scheduler; server.ts resumes orders and starts the scheduler. */
export default fp(
  async (fastify) => {
    const { config } = fastify;
    if (config.acmeCaFile) setGlobalAcmeCa(fs.readFileSync(config.acmeCaFile, 'utf8'));
    // One reading of CERTDESK_DEPLOY_HOOKS for deployments and DNS-01 (validated at start, deploy-config.ts).
    const hooks: Map<string, Hook> = config.deploy.hooks;
    const loadHooks = () => hooks;
    const now = () => fastify.clock.now();
    const accounts = new AcmeAccountService({ accounts: fastify.acmeAccounts, audit: fastify.audit, now });
    const orders = new AcmeOrderService({
      db: fastify.db,
      orders: fastify.acmeOrders,
      challenges: fastify.acmeChallenges,
      acmeCertificates: fastify.acmeCertificates,
      certificates: fastify.certificates,
      accounts,
      audit: fastify.audit,
      csrDeps: {
        db: fastify.db,
        certificates: fastify.certificates,
        privateKeys: fastify.privateKeys,
        csrs: fastify.csrs,
        audit: fastify.audit,
      },
      // The CA sends the whole chain; its root must be a trust anchor (Mozilla or enterprise), as for uploads.
      importDeps: () => ({
        ...importRepositories(fastify),
        serverNames: fastify.settings.serverSettings().serverNames,
        fetcher: null,
        expiryThresholds: fastify.settings.expiryThresholds(),
      }),
      lifecycle: fastify.certificateLifecycle,
      events: fastify.events,
      hooks: loadHooks,
      now,
      log: fastify.log,
    });
    const scheduler = new RenewalScheduler({
      clock: fastify.clock,
      kv: fastify.kv,
      acmeCertificates: fastify.acmeCertificates,
      orders: fastify.acmeOrders,
      orderService: orders,
      accounts,
      events: fastify.events,
      log: fastify.log,
    });
    fastify.decorate('acmeAccountService', accounts);
    fastify.decorate('acmeOrderService', orders);
    fastify.decorate('renewalScheduler', scheduler);
    fastify.decorate('dnsHookNames', () => [...loadHooks().keys()]);
    fastify.addHook('onClose', async () => {
      scheduler.stop();
      // Running orders are stored by stage; the next start resumes them. Give them a moment to reach one.
      await Promise.race([orders.settled(), new Promise((r) => setTimeout(r, 5000).unref())]);
    });
  },
  { name: 'acme', dependencies: ['repositories', 'audit', 'settings', 'certificate-lifecycle', 'events'] },
);
