/** The account and API-token limits the server enforces and the console shows (no TypeBox). */

/** The password policy for a new account password, at setup and at a change alike. */
export const PASSWORD_MIN_LENGTH = 12;

export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 365;
