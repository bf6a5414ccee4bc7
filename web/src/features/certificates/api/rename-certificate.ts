import type { CertificateSummary } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { invalidateInventory } from '../../../lib/query-keys.js';

/** PATCH /api/certificates/:id: the display name; an empty name goes back to the common name. */
export function renameCertificate({ id, name }: { id: number; name: string }): Promise<CertificateSummary> {
  return api.patch<CertificateSummary>(`/certificates/${id}`, { name: name.trim() || null });
}

export function useRenameCertificate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: renameCertificate,
    // The name shows in the inventory, the dashboard and the server settings' certificate choices.
    onSuccess: () => invalidateInventory(queryClient),
  });
}
