import { type Static, Type } from 'typebox';

export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
});
export type User = Static<typeof User>;

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const SessionInfo = Type.Object({
  user: User,
  csrfToken: Type.String(),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const SetupStatus = Type.Object({
  needsSetup: Type.Boolean(),
  /** Absolute path of the setup token file; only while needsSetup (the data directory is not a secret then). */
  setupTokenFile: Type.Optional(Type.String()),
});
export type SetupStatus = Static<typeof SetupStatus>;

export const SetupBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' }),
  password: Type.String({ minLength: 12, maxLength: 1024 }),
});
export type SetupBody = Static<typeof SetupBody>;

export const TokenCreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
});
export type TokenCreateBody = Static<typeof TokenCreateBody>;

export const TokenCreated = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  token: Type.String({ description: 'Shown once; store it now' }),
});
export type TokenCreated = Static<typeof TokenCreated>;

export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'First characters of the token, to recognise it' }),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ApiToken = Static<typeof ApiToken>;

export const ApiTokenList = Type.Object({ items: Type.Array(ApiToken) });
export type ApiTokenList = Static<typeof ApiTokenList>;
