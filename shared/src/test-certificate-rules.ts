/** Limits of the lab test certificate, plain values so the console can use them without the schemas. */
export const TEST_CA_ORGANIZATION = 'certdesk TEST CA - NOT FOR PRODUCTION';
export const TEST_CERTIFICATE_MAX_DAYS = 397;
