import argon2 from 'argon2';

/** OWASP: argon2id, m=19 MiB, t=2, p=1. One place for the server and the command line. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}
