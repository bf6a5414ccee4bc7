import type { ImportResponse } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { uploadRequest } from '../../../lib/api-client.js';
import { invalidateInventory } from '../../../lib/query-keys.js';

export interface ImportFields {
  files: File[];
  pem: string;
  password: string;
  chainMode: 'auto' | 'manual';
  intermediates: File[];
  name: string;
  dryRun: boolean;
}

/** POST /api/certificates (multipart). A refused import is an ApiError whose body carries `report`. */
export function importCertificate(f: ImportFields): Promise<ImportResponse> {
  return uploadRequest<ImportResponse>('/certificates', {
    file: f.files,
    pem: f.pem.trim() || null,
    password: f.password || null,
    chainMode: f.chainMode,
    intermediates: f.chainMode === 'manual' ? f.intermediates : null,
    name: f.name.trim() || null,
    dryRun: f.dryRun ? 'true' : null,
  });
}

export function useImportCertificate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importCertificate,
    onSuccess: (result) => {
      if (!result.dryRun) void invalidateInventory(queryClient);
    },
  });
}
