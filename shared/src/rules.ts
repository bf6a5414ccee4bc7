/** The plain values and checks the console runs too (no TypeBox): `@certdesk/shared/rules`. */
export * from './auth-rules.js';
export * from './csr-rules.js';
export * from './test-certificate-rules.js';
