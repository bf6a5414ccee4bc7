import crypto from 'node:crypto';
import {
  checkCommonName,
  checkSubjectAltName,
  TEST_CA_ORGANIZATION,
  TestCertificate,
  TestCertificateBody,
} from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fingerprintSha256 } from '../../cert/identity.js';
import { createTestPki } from '../../cert/test-pki.js';
import { cryptoPool } from '../../compute/crypto-pool.js';
import { AppError } from '../../errors.js';
import { errorResponses } from './responses.js';

const WARNING = `TEST ONLY — NOT FOR PRODUCTION. Signed by a throw-away root ("${TEST_CA_ORGANIZATION}") that no browser trusts; use it in a lab only.`;

/** A lab name: any host name the CSR wizard accepts, plus "localhost" (labs use it, CAs never sign it). */
function checkLabName(value: string, check: (v: string) => string | null): string | null {
  return value.trim().toLowerCase() === 'localhost' ? null : check(value);
}

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/tools/test-certificate',
    {
      config: { permission: 'tools:use' },
      schema: {
        tags: ['tools'],
        summary: 'Create a throw-away test root CA and a server certificate it signs (labs only)',
        description:
          'RSA-2048 or ECDSA P-256; serverAuth EKU; SANs include the common name. The root key is discarded. ' +
          'Answers the root, the certificate, a PFX (AES-256; key + certificate + root) and, only with ' +
          'includePrivateKey, the key. To import the certificate, add the root under Trust anchors first.',
        body: TestCertificateBody,
        response: { 201: TestCertificate, ...errorResponses(400, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const cnError = checkLabName(body.commonName, checkCommonName);
      if (cnError) throw new AppError('INVALID_COMMON_NAME', cnError, { field: 'commonName' });
      (body.subjectAltNames ?? []).forEach((san, i) => {
        const sanError = checkLabName(san, checkSubjectAltName);
        // Same codes and field names as POST /api/csrs, so the UI treats both alike.
        if (sanError) {
          throw new AppError('INVALID_SUBJECT_ALT_NAME', sanError, {
            field: `subjectAltNames.${i}`,
          });
        }
      });
      const generatedPassword = body.pfxPassword ? null : crypto.randomBytes(12).toString('base64url');
      const pki = await createTestPki(
        {
          commonName: body.commonName.trim().toLowerCase(),
          subjectAltNames: body.subjectAltNames ?? [],
          keyType: body.keyType,
          days: body.days,
          pfxPassword: body.pfxPassword ?? (generatedPassword as string),
        },
        cryptoPool(),
      );
      const result: TestCertificate = {
        warning: WARNING,
        rootPem: pki.root.toString(),
        rootFingerprintSha256: fingerprintSha256(pki.root),
        certificatePem: pki.cert.toString(),
        fingerprintSha256: fingerprintSha256(pki.cert),
        subjectAltNames: pki.subjectAltNames,
        notAfter: new Date(pki.cert.validTo).toISOString(),
        pfxBase64: pki.pfx.toString('base64'),
        ...(generatedPassword ? { pfxPassword: generatedPassword } : {}),
        ...(body.includePrivateKey
          ? { privateKeyPem: String(pki.key.export({ type: 'pkcs8', format: 'pem' })) }
          : {}),
      };
      fastify.audit.record(request, {
        action: 'tools.test_certificate',
        details: {
          commonName: body.commonName,
          subjectAltNames: pki.subjectAltNames,
          keyType: body.keyType,
          days: body.days,
          fingerprintSha256: result.fingerprintSha256,
          rootFingerprintSha256: result.rootFingerprintSha256,
          privateKeyReturned: Boolean(body.includePrivateKey),
        },
      });
      return reply.status(201).header('cache-control', 'no-store').send(result);
    },
  );
};

export default routes;
