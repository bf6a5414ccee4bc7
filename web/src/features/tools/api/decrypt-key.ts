import type { DecryptedKey, DecryptKeyBody } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export function decryptKey(body: DecryptKeyBody): Promise<DecryptedKey> {
  return api.post<DecryptedKey>('/tools/decrypt-key', body);
}

export function useDecryptKey() {
  return useMutation({ mutationFn: decryptKey });
}
