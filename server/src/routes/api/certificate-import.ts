import { ImportPolicy, ImportResponse } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AIA_LIMITS, httpIssuerFetcher } from '../../cert/aia.js';
import type { UploadedFile } from '../../cert/detect.js';
import { PFX_WORK_LIMIT } from '../../cert/pbe.js';
import { LIFETIME_LIMITS, POLICY } from '../../cert/report.js';
import { AppError } from '../../errors.js';
import { UPLOAD_LIMITS } from '../../plugins/external/multipart.js';
import { importAuditDetails } from '../../services/import-audit.js';
import { importCertificate } from '../../services/import-service.js';
import { defaultServerSettings, readServerSettings } from '../../store/server-settings.js';
import { readThresholds } from './dashboard.js';
import { errorResponses } from './responses.js';

interface ImportForm {
  files: UploadedFile[];
  password: string;
  chainMode: 'auto' | 'manual';
  name: string | null;
  dryRun: boolean;
}

/** Reads the multipart form; file parts are buffered (each ≤ UPLOAD_LIMITS.fileSize). */
export async function readImportForm(request: FastifyRequest): Promise<ImportForm> {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the files as multipart/form-data (field "file").');
  }
  const form: ImportForm = { files: [], password: '', chainMode: 'auto', name: null, dryRun: false };
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const data = await part.toBuffer();
      const role =
        part.fieldname === 'intermediates' ? 'intermediate' : part.fieldname === 'file' ? 'file' : null;
      if (!role)
        throw new AppError(
          'VALIDATION_ERROR',
          `Unknown file field "${part.fieldname}": use "file" or "intermediates".`,
          { field: part.fieldname },
        );
      // The file name is only a label (format detection reads the content); keep it printable and short.
      const name = (part.filename || (role === 'file' ? 'upload' : 'intermediate'))
        .replace(/[^\x20-\x7e]/g, '_')
        .slice(0, 100);
      form.files.push({ name, data, role });
    } else {
      const value = String(part.value ?? '');
      switch (part.fieldname) {
        case 'password':
          form.password = value;
          break;
        case 'chainMode':
          if (value !== 'auto' && value !== 'manual')
            throw new AppError('VALIDATION_ERROR', 'chainMode must be "auto" or "manual".', {
              field: 'chainMode',
            });
          form.chainMode = value;
          break;
        case 'name':
          form.name = value.trim().slice(0, 200) || null;
          break;
        case 'dryRun':
          form.dryRun = value === 'true' || value === '1';
          break;
        case 'pem':
          // Pasted PEM text from the UI's paste box, read like an uploaded file.
          if (value.trim())
            form.files.push({ name: 'pasted PEM', data: Buffer.from(value, 'utf8'), role: 'file' });
          break;
        default:
          throw new AppError('VALIDATION_ERROR', `Unknown field "${part.fieldname}".`, {
            field: part.fieldname,
          });
      }
    }
  }
  return form;
}

const DESCRIPTION = `multipart/form-data fields: \`file\` (one or more: certificate PEM/DER, PEM bundle, PKCS#7 .p7b/.p7c, PKCS#12 .pfx/.p12, private key PKCS#1/PKCS#8/SEC1 plain or encrypted; the format is read from the content, never from the name), \`pem\` (pasted PEM text), \`password\` (for a .pfx or an encrypted key), \`chainMode\` = auto | manual, \`intermediates\` (files, manual mode), \`name\`, \`dryRun\` = true.
Limits: ${UPLOAD_LIMITS.fileSize / 1024 / 1024} MiB per file, ${UPLOAD_LIMITS.files} files, ${UPLOAD_LIMITS.parts} parts (413 PAYLOAD_TOO_LARGE beyond). A PFX may ask for at most ${PFX_WORK_LIMIT.maxIterations.toLocaleString('en')} key-derivation iterations per step (422 PFX_TOO_COSTLY). AIA "CA Issuers" downloads (automatic mode): http only, ${AIA_LIMITS.timeoutMs / 1000} s timeout, 1 MiB, at most ${AIA_LIMITS.maxHops} hops.
Errors: 422 UNRECOGNIZED_FILE | CERTIFICATE_DAMAGED | CERTIFICATE_UNSUPPORTED | PFX_DAMAGED | P7B_DAMAGED | WRONG_PASSWORD | KEY_PASSPHRASE_REQUIRED | NO_CERTIFICATE | KEY_MISMATCH | CERTIFICATE_EXPIRED | CERTIFICATE_NOT_YET_VALID | CHAIN_NOT_TRUSTED | EKU_NOT_SERVER_AUTH | KEY_TOO_WEAK | WEAK_SIGNATURE | VALIDITY_TOO_LONG (with \`report\`); 409 CERTIFICATE_EXISTS (with \`existingId\`).`;

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const fetcher = httpIssuerFetcher();

  // Registered before the inventory's /certificates/:id routes (index.ts registers this file first).
  fastify.get(
    '/certificates/policy',
    {
      schema: {
        tags: ['certificates'],
        summary: 'Import policy: every pre-flight check and whether it blocks',
        response: { 200: ImportPolicy, ...errorResponses() },
      },
    },
    async () => ({ checks: POLICY, lifetimeLimits: LIFETIME_LIMITS }),
  );

  fastify.post(
    '/certificates',
    {
      schema: {
        tags: ['certificates'],
        summary:
          'Import a certificate (any format), pair its key, build the chain, run the pre-flight report',
        description: DESCRIPTION,
        consumes: ['multipart/form-data'],
        response: { 200: ImportResponse, 201: ImportResponse, ...errorResponses(400, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const form = await readImportForm(request);
      const settings = readServerSettings(
        fastify.db,
        defaultServerSettings(fastify.config.httpPort, fastify.config.httpsPort),
      );
      const result = await importCertificate(
        {
          files: form.files,
          password: form.password,
          chainMode: form.chainMode,
          name: form.name,
          dryRun: form.dryRun,
        },
        {
          db: fastify.db,
          privateKeys: fastify.privateKeys,
          certificates: fastify.certificates,
          serverNames: settings.serverNames,
          fetcher,
          expiryThresholds: readThresholds(fastify.db),
        },
      );
      if (result.dryRun) return reply.status(200).send(result);
      fastify.audit.record(request, {
        action: 'certificate.import',
        target: result.id,
        details: importAuditDetails(result, form.chainMode),
      });
      return reply.status(201).send(result);
    },
  );
};

export default routes;
