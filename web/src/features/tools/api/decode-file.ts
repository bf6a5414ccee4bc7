import type { DecodedFile } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { uploadRequest } from '../../../lib/api-client.js';

export interface DecodeFileInput {
  /** A picked file (any format: sent as is, the server reads the format from the content)… */
  file: File | null;
  /** …or pasted PEM text. */
  pem: string;
  /** For a .pfx or an encrypted key. */
  password: string;
}

/** POST /api/tools/decode (multipart). Read-only: nothing is stored. */
export function decodeFile(input: DecodeFileInput): Promise<DecodedFile> {
  return uploadRequest<DecodedFile>('/tools/decode', {
    file: input.file,
    pem: input.file ? null : input.pem,
    password: input.password || null,
  });
}

export function useDecodeFile() {
  return useMutation({ mutationFn: decodeFile });
}
