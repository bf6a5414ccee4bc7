/**
 * What a deployment answers (API.md "Deployment targets"), shown by the Deployments page and by a
 * certificate's own page: two features, so the shape and its view live here.
 */

/** The TLS handshake made to the target's `verify` address after the files were swapped in. */
export interface DeployProbe {
  ok?: boolean;
  /** SHA-256 of the certificate the service presented (hex, colon-separated or not). */
  fingerprintSha256?: string | null;
  servedFingerprintSha256?: string | null;
  expectedFingerprintSha256?: string | null;
  error?: string | null;
  message?: string | null;
  host?: string;
  port?: number;
  [key: string]: unknown;
}

export type DeployStatus = 'deployed' | 'failed' | 'rolled-back';

/** 200 from POST /api/targets/:id/deploy. */
export interface DeploySuccess {
  status: 'deployed';
  fingerprintSha256?: string | null;
  message?: string | null;
  probe?: DeployProbe | null;
  at?: string;
  [key: string]: unknown;
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
  [key: string]: unknown;
}

export type DeployOutcome = { ok: true; result: DeploySuccess } | { ok: false; failure: DeployFailure };
