import { type Static, Type } from 'typebox';
import {
  PASSWORD_MIN_LENGTH,
  PERMISSIONS,
  type Permission,
  TOKEN_DEFAULT_DAYS,
  TOKEN_MAX_DAYS,
} from './auth-rules.js';
import { TotpCode } from './totp.js';
import { RoleSchema } from './users.js';

export * from './auth-rules.js';

export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleSchema,
  mustChangePassword: Type.Boolean({
    description:
      'Signed in with a one-time password: only the password change, me and logout answer until it is changed',
  }),
});
export type User = Static<typeof User>;

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  /** Two-factor sign-in: without it, an account with TOTP on answers 401 TOTP_REQUIRED. */
  totp: Type.Optional(TotpCode),
});
export type LoginBody = Static<typeof LoginBody>;

export const SessionInfo = Type.Object({
  user: User,
  csrfToken: Type.String(),
  permissions: Type.Optional(
    Type.Array(Type.Unsafe<Permission>({ type: 'string', enum: [...PERMISSIONS] }), {
      description:
        "What the caller's role (or the API token's narrower one) may do; GET /api/auth/me answers it",
    }),
  ),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const SetupStatus = Type.Object({
  needsSetup: Type.Boolean(),
  /** Absolute path of the setup token file; only while needsSetup (the data directory is not a secret then). */
  setupTokenFile: Type.Optional(Type.String()),
});
export type SetupStatus = Static<typeof SetupStatus>;

const NewPassword = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 1024 });

export const SetupBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' }),
  password: NewPassword,
});
export type SetupBody = Static<typeof SetupBody>;

export const PasswordChangeBody = Type.Object({
  currentPassword: Type.String({ maxLength: 1024, description: 'The password in use now' }),
  newPassword: Type.String({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: 1024,
    description: `At least ${PASSWORD_MIN_LENGTH} characters`,
  }),
  totp: Type.Optional(TotpCode),
});
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

export const TokenCreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  role: Type.Optional(
    Type.Union([RoleSchema], {
      description:
        "A narrower role for the token (never above the account's); left out, the token acts with the account's role",
    }),
  ),
  password: Type.Optional(
    Type.String({
      maxLength: 1024,
      description:
        'The signed-in account password, asked again because a token outlives the session. May be left out within five minutes of signing in (the sign-in was the check), as the original `{ name }` form of this request does.',
    }),
  ),
  totp: Type.Optional(TotpCode),
  expiresInDays: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: TOKEN_MAX_DAYS,
      default: TOKEN_DEFAULT_DAYS,
      description: `Days until the token stops working (default ${TOKEN_DEFAULT_DAYS}, at most ${TOKEN_MAX_DAYS})`,
    }),
  ),
});
export type TokenCreateBody = Static<typeof TokenCreateBody>;

export const TokenCreated = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  token: Type.String({ description: 'Shown once; store it now' }),
  role: Type.Union([RoleSchema, Type.Null()], { description: "null: the account's role" }),
  expiresAt: Type.String({ description: 'After this instant the token is refused (401 TOKEN_EXPIRED)' }),
});
export type TokenCreated = Static<typeof TokenCreated>;

export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'First characters of the token, to recognise it' }),
  role: Type.Union([RoleSchema, Type.Null()], { description: "null: the account's role" }),
  username: Type.String({ description: 'The account the token belongs to (admins see every account)' }),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String({ description: 'After this instant the token is refused (401 TOKEN_EXPIRED)' }),
});
export type ApiToken = Static<typeof ApiToken>;

export const ApiTokenList = Type.Object({ items: Type.Array(ApiToken) });
export type ApiTokenList = Static<typeof ApiTokenList>;
