import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/open.js';
import { nowIso } from '../../db/open.js';

export interface AuditRecord {
  action: string;
  target?: string | number | null;
  details?: Record<string, unknown>;
  /** Defaults to the signed-in user of the request. */
  actor?: string | null;
}

/** Who did what, when and from where. Never put a password, token or key in `details`. */
export class AuditService {
  constructor(private readonly db: Db) {}

  record(request: FastifyRequest | null, entry: AuditRecord): void {
    const actor = entry.actor !== undefined ? entry.actor : (request?.user?.username ?? null);
    this.db
      .prepare('INSERT INTO audit_log (at, actor, action, target, ip, details) VALUES (?, ?, ?, ?, ?, ?)')
      .run(
        nowIso(),
        actor,
        entry.action,
        entry.target === undefined || entry.target === null ? null : String(entry.target),
        request?.ip ?? null,
        entry.details ? JSON.stringify(entry.details) : null,
      );
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('audit', new AuditService(fastify.db));
  },
  { name: 'audit', dependencies: ['db'] },
);
