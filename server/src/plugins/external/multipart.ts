import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';

/** Upload limits: certificate material is small; anything near these limits is not a certificate. */
export const UPLOAD_LIMITS = {
  fileSize: 1024 * 1024, // 1 MiB per file
  files: 20,
  fields: 20,
  parts: 50,
  fieldSize: 64 * 1024,
  headerPairs: 100,
};

export default fp(
  async (fastify) => {
    await fastify.register(multipart, { limits: UPLOAD_LIMITS, throwFileSizeLimit: true });
  },
  { name: 'multipart' },
);
