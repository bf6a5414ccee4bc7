import type { FastifyRequest } from 'fastify';
import type { UploadedFile } from '../../cert/detect.js';
import { fileLabel } from '../../cert/file-label.js';
import { AppError } from '../../errors.js';

/** What one route's multipart form accepts. */
export interface MultipartFormSpec {
  /** The 415 sentence when the body is not multipart/form-data. */
  notMultipart: string;
  /** File fields, each with the role its files get and the label of a file sent without a name. */
  fileFields: Record<string, { role: UploadedFile['role']; unnamed: string }>;
  /** The error (a 400) for a file in any other field. */
  unknownFileField: (field: string) => AppError;
  /** More files than this is a 400 (the multipart plugin's own limit still applies). */
  maxFiles?: number;
  /** A text field read like an uploaded file (pasted PEM), with its label. */
  pasted?: { field: string; label: string };
  /** Text fields taken as they come; a handler may refuse a value by throwing. */
  fields?: Record<string, (value: string) => void>;
  /** Text fields outside `fields` are skipped instead of refused. */
  ignoreOtherFields?: boolean;
  /** Stop at the first file (the parts after it are not read). */
  firstFileOnly?: boolean;
}

/**
 * Reads a multipart form in order, buffering each file (bounded by the multipart plugin's limits):
 * every route that takes uploads reads them here, so they refuse bad forms the same way.
 */
export async function readMultipartForm(
  request: FastifyRequest,
  spec: MultipartFormSpec,
): Promise<UploadedFile[]> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', spec.notMultipart);
  const files: UploadedFile[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const field = Object.hasOwn(spec.fileFields, part.fieldname)
        ? spec.fileFields[part.fieldname]
        : undefined;
      if (!field) throw spec.unknownFileField(part.fieldname);
      const data = await part.toBuffer();
      if (spec.maxFiles !== undefined && files.length >= spec.maxFiles) {
        throw new AppError('VALIDATION_ERROR', `Send at most ${spec.maxFiles} files at once.`, {
          field: part.fieldname,
        });
      }
      files.push({ name: fileLabel(part.filename, field.unnamed), data, role: field.role });
      if (spec.firstFileOnly) break;
      continue;
    }
    const value = String(part.value ?? '');
    const handler =
      spec.fields && Object.hasOwn(spec.fields, part.fieldname) ? spec.fields[part.fieldname] : undefined;
    if (spec.pasted && part.fieldname === spec.pasted.field) {
      if (value.trim())
        files.push({ name: spec.pasted.label, data: Buffer.from(value, 'utf8'), role: 'file' });
    } else if (handler) {
      handler(value);
    } else if (!spec.ignoreOtherFields) {
      throw new AppError('VALIDATION_ERROR', `Unknown field "${part.fieldname}".`, { field: part.fieldname });
    }
  }
  return files;
}
