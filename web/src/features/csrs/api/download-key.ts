import type { CsrKeyDownloadBody } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { downloadFile } from '../../../lib/api-client.js';

/** Saves server.key; the server asks for the account password again (403 REAUTH_FAILED when wrong). */
export function downloadKey(id: number, body: CsrKeyDownloadBody): Promise<string> {
  return downloadFile(`/csrs/${id}/key`, { method: 'POST', body }, 'server.key');
}

export function useDownloadKey(id: number) {
  return useMutation({ mutationFn: (body: CsrKeyDownloadBody) => downloadKey(id, body) });
}
