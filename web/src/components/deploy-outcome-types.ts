/**
 * What a deployment answers (API.md "Deployment targets"), shown by the Deployments page and by a
 * certificate's own page: two features, so the shape and its view live here.
 */

/** The TLS handshake made to the target's `verify` address after the files were swapped in. */
export interface DeployProbe {
  /** The served certificate is the one expected. */
  ok: boolean;
  host: string;
  port: number;
  /** SHA-256 of the certificate the service presented; null when there was no handshake. */
  fingerprintSha256: string | null;
  subject?: string | null;
  notAfter?: string | null;
  /** Why there was no certificate or not the right one (refused, timeout, STARTTLS not offered…). */
  error: string | null;
  attempts?: number;
}

/** One step of a deployment, in order: write, hook, verify, restore, hook-after-restore. */
export interface DeployStepReport {
  step: string;
  ok: boolean;
  message: string;
  ms: number;
}

export type DeployStatus = 'deployed' | 'failed' | 'rolled-back';

/** 200 from POST /api/targets/:id/deploy. */
export interface DeploySuccess {
  status: 'deployed';
  /** SHA-256 of the deployed certificate. */
  fingerprintSha256: string | null;
  message?: string | null;
  probe: DeployProbe | null;
  at?: string;
  steps?: DeployStepReport[];
}

/** The 422 DEPLOY_FAILED body: what failed, and that the previous files were put back. */
export interface DeployFailure {
  code: string;
  status: 'rolled-back' | 'failed';
  message: string;
  /** Which step failed: e.g. "write", "hook", "verify". */
  step?: string | null;
  hookOutputTail?: string | null;
  probe?: DeployProbe | null;
  steps?: DeployStepReport[];
  /** SHA-256 of the certificate that was to be deployed, when the body carries it. */
  fingerprintSha256?: string | null;
}

export type DeployOutcome = { ok: true; result: DeploySuccess } | { ok: false; failure: DeployFailure };
