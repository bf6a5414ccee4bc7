import fp from 'fastify-plugin';
import { AuditService } from '../../services/audit-service.js';

export default fp(
  async (fastify) => {
    fastify.decorate('audit', new AuditService(fastify.auditLog, fastify.clock));
  },
  { name: 'audit', dependencies: ['repositories'] },
);
