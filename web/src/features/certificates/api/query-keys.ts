import type { CertificateListQuery } from '@certdesk/shared/types';
import { resourceKeys } from '../../../lib/query-keys.js';

export const certificateKeys = {
  all: resourceKeys.certificates,
  list: (query: CertificateListQuery) => [...resourceKeys.certificates, 'list', query] as const,
  detail: (id: number) => [...resourceKeys.certificates, 'detail', id] as const,
  /** Under the targets root, so a deployment from the Deployments page refreshes this list too. */
  targets: (id: number) => [...resourceKeys.deployTargets, 'by-certificate', id] as const,
};
