import { ERRORS, type ErrorCode, errorStatus } from '@certdesk/shared/errors';
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { CertError } from '../../cert/errors.js';
import { AppError } from '../../errors.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_ERROR',
};

/**
 * One error handler: every answer is `{ code, message, ... }`; only real bugs are 500 (and logged).
 * The server's AppError and the certificate core's CertError get their status here, from the registry.
 */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError | AppError | CertError, request, reply) => {
      if (error instanceof AppError || error instanceof CertError) {
        if (typeof error.details.retryAfterSeconds === 'number') {
          reply.header('retry-after', String(error.details.retryAfterSeconds));
        }
        return reply
          .status(errorStatus(error.code, error.inRequest))
          .send({ code: error.code, message: error.message, ...error.details });
      }
      if (error.validation) {
        const first = error.validation[0];
        const field =
          (first?.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
          (first?.params as { missingProperty?: string } | undefined)?.missingProperty ||
          undefined;
        const where = error.validationContext ?? 'request';
        return reply.status(ERRORS.VALIDATION_ERROR.status).send({
          code: 'VALIDATION_ERROR',
          message: `The ${where}${field ? ` field "${field}"` : ''} is not valid: ${first?.message ?? 'invalid value'}.`,
          field,
        });
      }
      // The multipart parser throws plain Errors for a cut-off or malformed body: that is the client's input.
      if (!error.statusCode && /@fastify[/\\]busboy/.test(error.stack ?? '')) {
        const { status, message } = ERRORS.MALFORMED_UPLOAD;
        return reply.status(status).send({ code: 'MALFORMED_UPLOAD', message });
      }
      const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
      if (mapped) {
        return reply.status(ERRORS[mapped].status).send({ code: mapped, message: ERRORS[mapped].message });
      }
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.status(error.statusCode).send({
          code: error.code && /^[A-Z0-9_]+$/.test(error.code) ? error.code : 'BAD_REQUEST',
          message: error.message,
        });
      }
      request.log.error({ err: error }, 'unhandled error');
      const { status, message } = ERRORS.INTERNAL_ERROR;
      return reply.status(status).send({ code: 'INTERNAL_ERROR', message });
    });
  },
  { name: 'error-handler' },
);
