import type { TestCertificate, TestCertificateBody } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

/** POST /api/tools/test-certificate: a throw-away lab root + server certificate (never for production). */
export function createTestCertificate(body: TestCertificateBody): Promise<TestCertificate> {
  return api.post<TestCertificate>('/tools/test-certificate', body);
}

export function useCreateTestCertificate() {
  return useMutation({ mutationFn: createTestCertificate });
}
