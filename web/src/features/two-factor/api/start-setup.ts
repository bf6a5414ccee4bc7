import type { TotpSetup } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

/** A new secret, pending until confirmed; the answer is the only time it is shown. */
export function startSetup(): Promise<TotpSetup> {
  return api.post<TotpSetup>('/auth/totp/setup');
}

export function useStartSetup() {
  return useMutation({ mutationFn: startSetup });
}
