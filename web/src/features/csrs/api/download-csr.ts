import { useMutation } from '@tanstack/react-query';
import { downloadFile } from '../../../lib/api-client.js';

/** Saves server.csr through the browser (the server names the file). */
export function downloadCsr(id: number): Promise<string> {
  return downloadFile(`/csrs/${id}/csr`, {}, 'server.csr');
}

export function useDownloadCsr() {
  return useMutation({ mutationFn: downloadCsr });
}
