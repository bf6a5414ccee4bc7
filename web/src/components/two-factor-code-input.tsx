import { ERROR_CODES } from '@certdesk/shared/errors';
import { TextInput } from '@mantine/core';
import { isApiError } from '../lib/api-client.js';

/** The server asked for (or refused) the two-factor code alongside the password. */
export function asksForCode(error: unknown): boolean {
  return (
    isApiError(error, ERROR_CODES.REAUTH_TOTP_REQUIRED) || isApiError(error, ERROR_CODES.REAUTH_TOTP_INVALID)
  );
}

/** The code that re-authentication asks for once two-factor sign-in is on (sent as `totp`). */
export function TwoFactorCodeInput({
  value,
  onChange,
}: {
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <TextInput
      label="Two-factor code"
      description="The 6-digit code from your authenticator app, or a recovery code."
      name="totp"
      autoComplete="one-time-code"
      spellCheck={false}
      required
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
