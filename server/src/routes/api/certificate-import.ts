import { IdParams, ImportPolicy, ImportResponse } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AIA_LIMITS } from '../../cert/aia.js';
import type { UploadedFile } from '../../cert/detect.js';
import { KDF_LIMITS_SENTENCE } from '../../cert/pkcs12.js';
import { LIFETIME_LIMITS, POLICY } from '../../cert/report.js';
import { AppError } from '../../errors.js';
import { AIA_FETCH_LIMITS, createAiaFetcher } from '../../net/aia-fetcher.js';
import { UPLOAD_LIMITS } from '../../plugins/external/multipart.js';
import { importAuditAction, importAuditDetails } from '../../services/import-audit.js';
import { attachPrivateKey, importCertificate, importRepositories } from '../../services/import-service.js';
import { readMultipartForm } from './multipart-form.js';
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
  const form: ImportForm = { files: [], password: '', chainMode: 'auto', name: null, dryRun: false };
  form.files = await readMultipartForm(request, {
    notMultipart: 'Send the files as multipart/form-data (field "file").',
    fileFields: {
      file: { role: 'file', unnamed: 'upload' },
      intermediates: { role: 'intermediate', unnamed: 'intermediate' },
    },
    unknownFileField: (field) =>
      new AppError('VALIDATION_ERROR', `Unknown file field "${field}": use "file" or "intermediates".`, {
        field,
      }),
    // Pasted PEM text from the UI's paste box, read like an uploaded file.
    pasted: { field: 'pem', label: 'pasted PEM' },
    fields: {
      password: (value) => {
        form.password = value;
      },
      chainMode: (value) => {
        if (value !== 'auto' && value !== 'manual')
          throw new AppError('VALIDATION_ERROR', 'chainMode must be "auto" or "manual".', {
            field: 'chainMode',
          });
        form.chainMode = value;
      },
      name: (value) => {
        form.name = value.trim().slice(0, 200) || null;
      },
      dryRun: (value) => {
        form.dryRun = value === 'true' || value === '1';
      },
    },
  });
  return form;
}

const DESCRIPTION = `multipart/form-data fields: \`file\` (one or more: certificate PEM/DER, PEM bundle, PKCS#7 .p7b/.p7c, PKCS#12 .pfx/.p12, private key PKCS#1/PKCS#8/SEC1 plain or encrypted; the format is read from the content, never from the name), \`pem\` (pasted PEM text), \`password\` (for a .pfx or an encrypted key), \`chainMode\` = auto | manual, \`intermediates\` (files, manual mode), \`name\`, \`dryRun\` = true.
Limits: ${UPLOAD_LIMITS.fileSize / 1024 / 1024} MiB per file, ${UPLOAD_LIMITS.files} files, ${UPLOAD_LIMITS.parts} parts (413 PAYLOAD_TOO_LARGE beyond). ${KDF_LIMITS_SENTENCE} AIA "CA Issuers" downloads (automatic mode): http only, ports 80 and 8080 (CERTDESK_AIA_PORTS), public addresses only unless the server setting aiaAllowPrivate is on, never this console, no redirects, ${AIA_FETCH_LIMITS.timeoutMs / 1000} s timeout, 1 MiB, at most ${AIA_LIMITS.maxHops} hops.
Errors: 422 UNRECOGNIZED_FILE | CERTIFICATE_DAMAGED | CERTIFICATE_UNSUPPORTED | TOO_MANY_NAMES | CERTIFICATE_TOO_COMPLEX | PFX_DAMAGED | P7B_DAMAGED | P7B_EMPTY | PFX_UNSUPPORTED | PFX_TOO_COSTLY | KDF_TOO_COSTLY | KDF_TIMEOUT | UNSUPPORTED_ENCRYPTION | UNSUPPORTED_KEY_TYPE | WRONG_PASSWORD | KEY_PASSPHRASE_REQUIRED | NO_CERTIFICATE | KEY_MISMATCH | CERTIFICATE_EXPIRED | CERTIFICATE_NOT_YET_VALID | CHAIN_NOT_TRUSTED | EKU_NOT_SERVER_AUTH | KEY_TOO_WEAK | WEAK_SIGNATURE | VALIDITY_TOO_LONG (with \`report\`); 409 CERTIFICATE_EXISTS (with \`existingId\`, \`existingName\`); 503 KDF_BUSY | KDF_UNAVAILABLE (try again). A dry run of a certificate that is already stored answers 200 with its report and \`alreadyStored: { id, name, addsKey }\` (\`addsKey\`: the stored certificate has no key and this upload brings it).`;

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  /** AIA downloads never reach this console itself, whichever port it listens on now or is set to. */
  const issuerFetcher = (settings: { aiaAllowPrivate: boolean; httpPort: number; httpsPort: number }) =>
    createAiaFetcher({
      allowPrivate: settings.aiaAllowPrivate,
      ports: fastify.config.aiaPorts,
      ownPorts: () => [
        fastify.config.httpPort,
        fastify.config.httpsPort,
        settings.httpPort,
        settings.httpsPort,
        fastify.httpsManager.ports.http,
        fastify.httpsManager.ports.https,
      ],
    });

  // Registered before the inventory's /certificates/:id routes (index.ts registers this file first).
  fastify.get(
    '/certificates/policy',
    {
      config: { permission: 'inventory:read' },
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
      config: { permission: 'inventory:write' },
      schema: {
        tags: ['certificates'],
        summary:
          'Import a certificate (any format), pair its key, build the chain, run the pre-flight report',
        description: DESCRIPTION,
        consumes: ['multipart/form-data'],
        response: {
          200: ImportResponse,
          201: ImportResponse,
          ...errorResponses(400, 409, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const form = await readImportForm(request);
      const settings = fastify.settings.serverSettings();
      const result = await importCertificate(
        {
          files: form.files,
          password: form.password,
          chainMode: form.chainMode,
          name: form.name,
          dryRun: form.dryRun,
        },
        {
          ...importRepositories(fastify),
          serverNames: settings.serverNames,
          fetcher: issuerFetcher(settings),
          expiryThresholds: fastify.settings.expiryThresholds(),
        },
      );
      if (result.dryRun) return reply.status(200).send(result);
      fastify.audit.record(request, {
        action: importAuditAction(result),
        target: result.id,
        details: importAuditDetails(result, form.chainMode),
      });
      if (result.id !== null && !result.alreadyStored) {
        fastify.events.emit('certificate-stored', { id: result.id, source: 'import' });
      }
      return reply.status(201).send(result);
    },
  );

  fastify.post(
    '/certificates/:id/attach-key',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags: ['certificates'],
        summary: 'Attach the private key to a certificate stored without one ("pending key")',
        description:
          'multipart/form-data: `file` (the key, plain or encrypted, or a .pfx/bundle that holds it), `pem` (pasted), `password`, `dryRun` = true. ' +
          'The key must belong to this certificate (422 KEY_MISMATCH with `report`); 409 CERTIFICATE_HAS_KEY when it has one. ' +
          'Answers the import report with `alreadyStored: { id, addsKey: true }`; audited as certificate.attach-key. ' +
          'A key uploaded alone to POST /api/certificates is attached the same way to the stored certificate it belongs to.',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 200: ImportResponse, ...errorResponses(400, 404, 409, 413, 415, 422) },
      },
    },
    async (request) => {
      const form = await readImportForm(request);
      const settings = fastify.settings.serverSettings();
      const result = await attachPrivateKey(
        request.params.id,
        { files: form.files, password: form.password, dryRun: form.dryRun },
        {
          ...importRepositories(fastify),
          serverNames: settings.serverNames,
          fetcher: issuerFetcher(settings),
        },
      );
      if (!result.dryRun) {
        fastify.audit.record(request, {
          action: 'certificate.attach-key',
          target: result.id,
          details: importAuditDetails(result, 'auto'),
        });
      }
      return result;
    },
  );
};

export default routes;
