import type { ConvertTarget } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { type DownloadedFile, fetchFile, toFormData } from '../../../lib/api-client.js';

export interface ConvertInput {
  files: File[];
  pem: string;
  to: ConvertTarget;
  /** Opens an input .pfx or encrypted key. */
  password: string;
  pfxPassword: string;
  pfxEncryption: 'aes256' | 'legacy';
  /** PEM output: append the private key; needs the account password again. */
  includeKey: boolean;
  accountPassword: string;
  /** The two-factor code, once two-factor sign-in is on. */
  totp?: string;
}

/** POST /api/tools/convert (multipart) → the converted file, not yet saved. */
export function convertFile(input: ConvertInput): Promise<DownloadedFile> {
  const body = toFormData({
    file: input.files,
    pem: input.pem.trim() || null,
    to: input.to,
    password: input.password || null,
    pfxPassword: input.to === 'pfx' ? input.pfxPassword || null : null,
    pfxEncryption: input.to === 'pfx' ? input.pfxEncryption : null,
    includeKey: input.to === 'pem' && input.includeKey ? 'true' : null,
    accountPassword: input.to === 'pem' && input.includeKey ? input.accountPassword : null,
    totp: input.to === 'pem' && input.includeKey ? input.totp || null : null,
  });
  return fetchFile('/tools/convert', { method: 'POST', body }, `converted.${input.to}`);
}

export function useConvertFile() {
  return useMutation({ mutationFn: convertFile });
}
