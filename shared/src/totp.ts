import { type Static, Type } from 'typebox';

/** Six digits from the authenticator app, or one of the recovery codes (API.md "Users and roles"). */
export const TotpCode = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'The 6-digit code from the authenticator app, or an unused recovery code',
});

// POST /api/auth/totp/setup: a new secret, pending until confirmed; shown this once.
export const TotpSetup = Type.Object({
  secret: Type.String({ description: 'Base32; shown once, for typing into the app by hand' }),
  otpauthUrl: Type.String({ description: 'otpauth://totp/… the QR code carries' }),
  qrSvg: Type.String({ description: 'The QR code of otpauthUrl as an SVG document, made on the server' }),
});
export type TotpSetup = Static<typeof TotpSetup>;

export const TotpEnableBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64, description: 'The code the app shows now' }),
});
export type TotpEnableBody = Static<typeof TotpEnableBody>;

export const RecoveryCodes = Type.Object({
  recoveryCodes: Type.Array(Type.String(), {
    description: 'Shown once; each signs in once in place of a code. Only their hashes are kept.',
  }),
});
export type RecoveryCodes = Static<typeof RecoveryCodes>;

/** Disable and new recovery codes: the password and a code (or a recovery code) again. */
export const TotpReauthBody = Type.Object({
  password: Type.String({ maxLength: 1024 }),
  totp: TotpCode,
});
export type TotpReauthBody = Static<typeof TotpReauthBody>;

export const TotpStatus = Type.Object({
  enabled: Type.Boolean(),
  recoveryCodesLeft: Type.Integer(),
  /** An administrator requires two-factor sign-in for everyone. */
  requiredForEveryone: Type.Boolean(),
});
export type TotpStatus = Static<typeof TotpStatus>;

// GET|PUT /api/settings/security
export const SecuritySettings = Type.Object({
  requireTwoFactor: Type.Boolean({
    description: 'Accounts without two-factor sign-in may only enrol until they have it',
  }),
});
export type SecuritySettings = Static<typeof SecuritySettings>;
