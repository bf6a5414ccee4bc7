import { DecodeCsrBody, DecodedCsr, DecryptedKey, DecryptKeyBody } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { decodeCsr } from '../../cert/csr.js';
import { describeKey } from '../../cert/key-info.js';
import { inspectPrivateKey } from '../../cert/private-key.js';
import { cryptoPool } from '../../compute/crypto-pool.js';
import { AppError } from '../../errors.js';
import { errorResponses } from './responses.js';
import toolsFiles from './tools-files.js';
import toolsTestPki from './tools-test-pki.js';

/** Pasted text is PEM; anything else is taken as base64 of DER (the UI sends uploaded binaries that way). */
function textOrDer(input: string): string | Buffer {
  if (input.includes('-----BEGIN')) return input;
  const compact = input.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]+=*$/.test(compact) ? Buffer.from(compact, 'base64') : input;
}

/** Stand-alone tools (PRODUCT.md §8). Each is one route; nothing here stores anything. */
const tools: FastifyPluginAsyncTypebox = async (fastify) => {
  // Decode any file + convert, and the lab test PKI: one file each, same /tools prefix.
  await fastify.register(toolsFiles);
  await fastify.register(toolsTestPki);

  fastify.post(
    '/tools/decode-csr',
    {
      config: { permission: 'tools:use' },
      schema: {
        tags: ['tools'],
        summary: 'Decode a CSR and check its signature, like openssl req -text -verify',
        body: DecodeCsrBody,
        response: { 200: DecodedCsr, ...errorResponses(400, 422) },
      },
    },
    async (request) => decodeCsr(textOrDer(request.body.csr)),
  );

  fastify.post(
    '/tools/decrypt-key',
    {
      config: { permission: 'keys:export' },
      schema: {
        tags: ['tools'],
        summary: 'Decrypt an encrypted private key with its passphrase; answers unencrypted PKCS#8 PEM',
        body: DecryptKeyBody,
        response: { 200: DecryptedKey, ...errorResponses(400, 422, 503) },
      },
    },
    async (request, reply) => {
      const reading = await inspectPrivateKey(
        textOrDer(request.body.key),
        request.body.passphrase,
        cryptoPool(),
      );
      if (!reading.encrypted) {
        throw new AppError(
          'KEY_NOT_ENCRYPTED',
          'This private key is not encrypted: it needs no passphrase and is already readable.',
        );
      }
      const info = describeKey(reading.key);
      fastify.audit.record(request, { action: 'tools.decrypt_key', details: { keyType: info.keyType } });
      reply.header('cache-control', 'no-store');
      return {
        keyPem: String(reading.key.export({ type: 'pkcs8', format: 'pem' })),
        keyType: info.keyType,
        ...(info.keySize ? { keySize: info.keySize } : {}),
        ...(info.curve ? { curve: info.curve } : {}),
        sourceFormat: reading.format,
      };
    },
  );
};

export default tools;
