import type { DeployProbe, DeployResult, DeployStep } from '@certdesk/shared/types';

/**
 * What a deployment answers (API.md "Deployment targets"), shown by the Deployments page and by a
 * certificate's own page: two features, so the shape and its view live here.
 */
export type { DeployProbe, DeployStep as DeployStepReport };

/** 200 from POST /api/targets/:id/deploy (the deployment record, with the served certificate's probe). */
export type DeploySuccess = Pick<DeployResult, 'status' | 'fingerprintSha256' | 'probe'> &
  Partial<Pick<DeployResult, 'message' | 'steps' | 'at'>>;

/** The 422 DEPLOY_FAILED body: what failed, and that the previous files were put back. */
export interface DeployFailure {
  code: string;
  status: 'rolled-back' | 'failed';
  message: string;
  /** Which step failed: write, hook, verify, restore, hook-after-restore. */
  step?: string | null;
  hookOutputTail?: string | null;
  probe?: DeployProbe | null;
  steps?: DeployStep[];
  /** SHA-256 of the certificate that was to be deployed, when known. */
  fingerprintSha256?: string | null;
}

export type DeployOutcome = { ok: true; result: DeploySuccess } | { ok: false; failure: DeployFailure };
