import { ERRORS } from '@certdesk/shared';
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';

const FASTIFY_CODES: Record<string, keyof typeof ERRORS> = {
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

/** One error handler: every answer is `{ code, message, ... }`; only real bugs are 500 (and logged). */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      if (error instanceof AppError) {
        if (error.code === 'RATE_LIMITED' && typeof error.extra.retryAfterSeconds === 'number') {
          reply.header('retry-after', String(error.extra.retryAfterSeconds));
        }
        return reply
          .status(error.statusCode)
          .send({ code: error.code, message: error.message, ...error.extra });
      }
      if (error.validation) {
        const first = error.validation[0];
        const field =
          (first?.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
          (first?.params as { missingProperty?: string } | undefined)?.missingProperty ||
          undefined;
        const where = error.validationContext ?? 'request';
        return reply.status(400).send({
          code: 'VALIDATION_ERROR',
          message: `The ${where}${field ? ` field "${field}"` : ''} is not valid: ${first?.message ?? 'invalid value'}.`,
          field,
        });
      }
      // The multipart parser throws plain Errors for a cut-off or malformed body: that is the client's input.
      if (!error.statusCode && /@fastify[/\\]busboy/.test(error.stack ?? '')) {
        return reply.status(400).send({ code: 'MALFORMED_UPLOAD', message: ERRORS.MALFORMED_UPLOAD.message });
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
      return reply.status(500).send({ code: 'INTERNAL_ERROR', message: ERRORS.INTERNAL_ERROR.message });
    });
  },
  { name: 'error-handler' },
);
