import fp from 'fastify-plugin';
import acmeAccounts from './acme-accounts.js';
import acmeCertificates from './acme-certificates.js';
import acmeChallenges from './acme-challenges.js';
import acmeOrders from './acme-orders.js';
import apiTokens from './api-tokens.js';
import auditLog from './audit-log.js';
import bindings from './bindings.js';
import certificateQueries from './certificate-queries.js';
import certificates from './certificates.js';
import csrs from './csrs.js';
import deployLeases from './deploy-leases.js';
import deployTargets from './deploy-targets.js';
import deployments from './deployments.js';
import intermediates from './intermediates.js';
import knownAddresses from './known-addresses.js';
import kv from './kv.js';
import notificationOutbox from './notification-outbox.js';
import notificationSettings from './notification-settings.js';
import privateKeys from './private-keys.js';
import remindersSent from './reminders-sent.js';
import sessions from './sessions.js';
import totp from './totp.js';
import trustAnchors from './trust-anchors.js';
import users from './users.js';

/** Every repository (one per table), each a plugin that decorates the instance: fastify.csrs, … */
export default fp(
  async (fastify) => {
    await fastify.register(users);
    await fastify.register(sessions);
    await fastify.register(apiTokens);
    await fastify.register(knownAddresses);
    await fastify.register(auditLog);
    await fastify.register(kv);
    await fastify.register(privateKeys);
    await fastify.register(certificates);
    await fastify.register(certificateQueries);
    await fastify.register(csrs);
    await fastify.register(intermediates);
    await fastify.register(trustAnchors);
    await fastify.register(bindings);
    await fastify.register(deployTargets);
    await fastify.register(deployments);
    await fastify.register(deployLeases);
    await fastify.register(notificationSettings);
    await fastify.register(notificationOutbox);
    await fastify.register(remindersSent);
    await fastify.register(totp);
    await fastify.register(acmeAccounts);
    await fastify.register(acmeOrders);
    await fastify.register(acmeChallenges);
    await fastify.register(acmeCertificates);
  },
  { name: 'repositories', dependencies: ['db'] },
);
