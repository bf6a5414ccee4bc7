import type { ImportResponse } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { uploadRequest } from '../../../lib/api-client.js';
import { invalidateInventory } from '../../../lib/query-keys.js';

export interface ImportTestCertificateInput {
  pfxBase64: string;
  pfxPassword: string;
  name: string;
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Sends the lab PFX (key + certificate + test root) to the ordinary import, POST /api/certificates. */
export function importTestCertificate(input: ImportTestCertificateInput): Promise<ImportResponse> {
  const file = new File([base64ToBytes(input.pfxBase64)], 'certdesk-test.pfx', {
    type: 'application/x-pkcs12',
  });
  return uploadRequest<ImportResponse>('/certificates', {
    file,
    password: input.pfxPassword,
    name: input.name,
  });
}

export function useImportTestCertificate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importTestCertificate,
    onSuccess: () => invalidateInventory(queryClient),
  });
}
