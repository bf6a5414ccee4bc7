import { CONVERT_TARGETS, type ConvertTarget, DecodedFile } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { convertMaterial, readMaterial } from '../../cert/convert.js';
import { decodeAnyFile } from '../../cert/decode.js';
import type { UploadedFile } from '../../cert/detect.js';
import type { PfxEncryption } from '../../cert/pfx-writer.js';
import { cryptoPool } from '../../compute/crypto-pool.js';
import { AppError } from '../../errors.js';
import { requirePermission } from './auth-hook.js';
import { readMultipartForm } from './multipart-form.js';
import { errorResponses } from './responses.js';

/** The multipart form of the file tools: files (or pasted PEM) and a few text fields. */
interface ToolForm {
  files: UploadedFile[];
  fields: Map<string, string>;
}

const MAX_TOOL_FILES = 5;

async function readToolForm(request: FastifyRequest, allowed: readonly string[]): Promise<ToolForm> {
  const fields = new Map<string, string>();
  const files = await readMultipartForm(request, {
    notMultipart: 'Send the file as multipart/form-data (field "file", or "pem" for pasted text).',
    fileFields: { file: { role: 'file', unnamed: 'upload' } },
    unknownFileField: (field) =>
      new AppError('VALIDATION_ERROR', `Unknown file field "${field}": use "file".`, { field }),
    maxFiles: MAX_TOOL_FILES,
    pasted: { field: 'pem', label: 'pasted text' },
    fields: Object.fromEntries(allowed.map((name) => [name, (value: string) => fields.set(name, value)])),
  });
  if (files.length === 0) {
    throw new AppError('VALIDATION_ERROR', 'Choose a file, or paste PEM text.', { field: 'file' });
  }
  return { files, fields };
}

const isTrue = (v: string | undefined) => v === 'true' || v === '1' || v === 'on';

const DECODE_DESCRIPTION = `multipart/form-data: \`file\` (one) or \`pem\` (pasted text), \`password\` (for a .pfx or an encrypted key).
Reads certificates (PEM/DER), PEM bundles, PKCS#7 (.p7b), PKCS#12 (.pfx/.p12, legacy encryption included), CSRs, private keys (RSA, EC, DSA, Ed25519…; PKCS#8 with PBES2 or PBES1, traditional PEM with AES, 3DES, DES or RC2) and CRLs (\`crls\`); the format comes from the content.
Keys are described, never returned. Nothing is stored or audited. Errors: 422 WRONG_PASSWORD | UNRECOGNIZED_FILE | CERTIFICATE_DAMAGED | PFX_DAMAGED | P7B_DAMAGED | P7B_EMPTY | NOT_A_CSR | UNSUPPORTED_KEY_TYPE | UNSUPPORTED_ENCRYPTION | KDF_TOO_COSTLY | PFX_TOO_COSTLY | KDF_TIMEOUT; 413 over 1 MiB; 503 KDF_BUSY | KDF_UNAVAILABLE (try again).`;

const CONVERT_DESCRIPTION = `multipart/form-data: \`file\` (one to ${MAX_TOOL_FILES}: certificate, bundle, .p7b, .pfx, key) and/or \`pem\`, \`to\` = ${CONVERT_TARGETS.join(' | ')},
\`password\` (opens an input .pfx or encrypted key), \`pfxPassword\` + \`pfxEncryption\` = aes256 (default) | legacy (for to=pfx),
\`includeKey\` = true (to=pem: append the private key; needs \`accountPassword\`, the signed-in account's password, 403 REAUTH_FAILED; \`keyPassphrase\` encrypts it).
Answers the converted file as a download. PFX output and key output are audited (tools.convert, tools.convert_key).`;

const tools: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/tools/decode',
    {
      config: { permission: 'tools:use' },
      schema: {
        tags: ['tools'],
        summary: 'Decode any certificate file into readable fields, like openssl x509|req|pkcs12 -text',
        description: DECODE_DESCRIPTION,
        consumes: ['multipart/form-data'],
        response: { 200: DecodedFile, ...errorResponses(400, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const form = await readToolForm(request, ['password']);
      if (form.files.length !== 1) {
        throw new AppError(
          'VALIDATION_ERROR',
          'Decode one file at a time: send either a file or pasted text.',
          { field: 'file' },
        );
      }
      const file = form.files[0] as UploadedFile;
      reply.header('cache-control', 'no-store');
      return decodeAnyFile(file.name, file.data, form.fields.get('password') ?? '', cryptoPool());
    },
  );

  fastify.post(
    '/tools/convert',
    {
      config: { permission: 'tools:use' },
      schema: {
        tags: ['tools'],
        summary: 'Convert between PEM, DER, PKCS#7 (.p7b) and PKCS#12 (.pfx)',
        description: CONVERT_DESCRIPTION,
        consumes: ['multipart/form-data'],
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The converted file' }),
          ...errorResponses(400, 409, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const form = await readToolForm(request, [
        'to',
        'password',
        'pfxPassword',
        'pfxEncryption',
        'includeKey',
        'accountPassword',
        'totp',
        'keyPassphrase',
      ]);
      const f = form.fields;
      const to = f.get('to') as ConvertTarget | undefined;
      if (!to || !CONVERT_TARGETS.includes(to)) {
        throw new AppError(
          'VALIDATION_ERROR',
          `Choose the format to convert to: ${CONVERT_TARGETS.join(', ')}.`,
          { field: 'to' },
        );
      }
      const pfxEncryption = (f.get('pfxEncryption') || 'aes256') as PfxEncryption;
      if (pfxEncryption !== 'aes256' && pfxEncryption !== 'legacy') {
        throw new AppError('VALIDATION_ERROR', 'pfxEncryption must be "aes256" or "legacy".', {
          field: 'pfxEncryption',
        });
      }
      const includeKey = to === 'pem' && isTrue(f.get('includeKey'));
      // A PFX always carries the key: both answers are private-key export, whoever's key it is.
      if (includeKey || to === 'pfx') requirePermission(request, 'keys:export');
      // A private key is about to leave the server in clear PEM: the account holder must say so, now.
      if (includeKey) {
        await fastify.auth.reauthenticate(request.user!, f.get('accountPassword'), request.ip, f.get('totp'));
      }
      const material = await readMaterial(form.files, f.get('password') ?? '', cryptoPool());
      const file = convertMaterial(material, {
        to,
        includeKey,
        keyPassphrase: f.get('keyPassphrase') || undefined,
        pfxPassword: f.get('pfxPassword') || undefined,
        pfxEncryption,
      });
      if (includeKey || to === 'pfx') {
        fastify.audit.record(request, {
          action: includeKey ? 'tools.convert_key' : 'tools.convert',
          details: {
            from: material.formats,
            to,
            certificates: material.certs.length,
            commonName: material.certs[0]?.commonName ?? null,
            ...(to === 'pfx' ? { pfxEncryption } : { keyEncrypted: Boolean(f.get('keyPassphrase')) }),
          },
        });
      }
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
};

export default tools;
