import { type Static, Type } from 'typebox';

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'ISO 8601 time' }),
  actor: Type.Union([Type.String(), Type.Null()]),
  action: Type.String({ description: 'e.g. auth.login, auth.login_failed, token.create' }),
  target: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  token: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()], {
    description: 'The API token the actor used; null for a browser session or the command line',
  }),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** A date (YYYY-MM-DD) or an ISO 8601 time with a zone (Z or ±hh:mm). */
const AUDIT_TIME = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$';

export const AuditQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  action: Type.Optional(
    Type.String({ maxLength: 100, description: 'Filter: exact action or prefix ending in "."' }),
  ),
  actor: Type.Optional(Type.String({ maxLength: 200, description: 'Filter: the user, exactly' })),
  from: Type.Optional(
    Type.String({
      pattern: AUDIT_TIME,
      description: 'Filter: entries at or after this date (YYYY-MM-DD, UTC) or time (ISO 8601)',
    }),
  ),
  to: Type.Optional(
    Type.String({
      pattern: AUDIT_TIME,
      description: 'Filter: entries up to this date (the whole day, UTC) or time (ISO 8601), inclusive',
    }),
  ),
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      description: 'csv: every matching entry as a CSV download (limit and offset are ignored)',
    }),
  ),
});
export type AuditQuery = Static<typeof AuditQuery>;

/** GET /api/audit.csv: the filters of the list, every matching entry. */
export const AuditExportQuery = Type.Pick(AuditQuery, ['action', 'actor', 'from', 'to']);
export type AuditExportQuery = Static<typeof AuditExportQuery>;

export const AuditList = Type.Object({ items: Type.Array(AuditEntry), total: Type.Integer() });
export type AuditList = Static<typeof AuditList>;
