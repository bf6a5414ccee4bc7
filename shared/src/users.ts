import { type Static, Type } from 'typebox';
import { PASSWORD_MIN_LENGTH, ROLES } from './auth-rules.js';

export const RoleSchema = Type.Union(
  [Type.Literal(ROLES[0]), Type.Literal(ROLES[1]), Type.Literal(ROLES[2])],
  {
    description:
      'admin: everything; operator: all but users, tokens of others and private-key export; auditor: read only',
  },
);

export const UserAccount = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean({
    description: 'A one-time password is set: it must be changed at sign-in',
  }),
  createdAt: Type.String(),
});
export type UserAccount = Static<typeof UserAccount>;

export const UserList = Type.Object({ items: Type.Array(UserAccount) });
export type UserList = Static<typeof UserList>;

export const UserCreateBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' }),
  password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 1024 }),
  role: RoleSchema,
});
export type UserCreateBody = Static<typeof UserCreateBody>;

export const UserUpdateBody = Type.Object(
  { role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) },
  { minProperties: 1 },
);
export type UserUpdateBody = Static<typeof UserUpdateBody>;

export const PasswordResetAnswer = Type.Object({
  password: Type.String({
    description: 'One-time password, shown once; it must be changed at the next sign-in',
  }),
});
export type PasswordResetAnswer = Static<typeof PasswordResetAnswer>;
