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

export const AuditQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  action: Type.Optional(
    Type.String({ maxLength: 100, description: 'Filter: exact action or prefix ending in "."' }),
  ),
  actor: Type.Optional(Type.String({ maxLength: 100, description: 'Filter: the user name, exactly' })),
  from: Type.Optional(
    Type.String({ maxLength: 40, description: 'Filter: entries at or after this ISO 8601 date or instant' }),
  ),
  to: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'Filter: entries before this ISO 8601 instant (a date alone: up to its end)',
    }),
  ),
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditList = Type.Object({ items: Type.Array(AuditEntry), total: Type.Integer() });
export type AuditList = Static<typeof AuditList>;
