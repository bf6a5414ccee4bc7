import type { DeployProbe } from '@certdesk/shared';
import type { Clock } from '../clock.js';
import { fetchServedCertificate } from '../deploy/tls-verify.js';
import type { CertificateStore } from '../store/certificates.js';
import type { DeployTarget, DeployTargetStore } from '../store/deploy-targets.js';
import type { DeploymentStore } from '../store/deployments.js';
import type { AuditContext, AuditService } from './audit-service.js';
import type { EventBus } from './events.js';

/**
 * Drift: the service a target feeds no longer serves what was deployed there — another certificate, an
 * expired one, or nothing at all. Checked by a real handshake to the target's verify address; the
 * 'drift' event goes out when a target starts drifting or drifts differently, not at every re-check.
 */

export interface DriftDeps {
  certificates: CertificateStore;
  deployTargets: DeployTargetStore;
  deployments: DeploymentStore;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
}

const ATTEMPT_TIMEOUT_MS = 5000;

export async function checkDrift(deps: DriftDeps, t: DeployTarget, ctx: AuditContext | null): Promise<void> {
  const at = new Date(deps.clock.now()).toISOString();
  if (!t.verify) {
    deps.deployTargets.setCheck(t.id, {
      drift: false,
      message: 'No TLS check is configured for this target, so drift cannot be seen.',
      at,
      probe: null,
    });
    return;
  }
  // What the service should serve: the last successful deployment, else the target's certificate.
  const expected =
    deps.deployments.lastDeployed(t.id)?.fingerprintSha256 ??
    deps.certificates.get(t.certificateId)?.fingerprint_sha256 ??
    '';
  const served = await fetchServedCertificate(t.verify, ATTEMPT_TIMEOUT_MS);
  const probe: DeployProbe = {
    ok: served.ok && served.fingerprintSha256 === expected,
    host: t.verify.host,
    port: t.verify.port,
    fingerprintSha256: served.ok ? served.fingerprintSha256 : null,
    subject: served.ok ? served.subject : null,
    notAfter: served.ok ? served.notAfter : null,
    error: served.ok ? null : served.error,
    attempts: 1,
  };
  let message: string | null = null;
  if (!served.ok) message = `Nothing is served: ${served.error}`;
  else if (served.fingerprintSha256 !== expected) {
    message = `${t.verify.host}:${t.verify.port} serves another certificate (${served.subject}, SHA-256 ${served.fingerprintSha256}) than the one deployed (SHA-256 ${expected}).`;
  } else if (Date.parse(served.notAfter) <= deps.clock.now()) {
    message = `${t.verify.host}:${t.verify.port} serves the deployed certificate, but it expired on ${served.notAfter}.`;
  }
  const drift = message !== null;
  probe.ok = !drift;
  deps.deployTargets.setCheck(t.id, { drift, message, at, probe });
  deps.audit.record(ctx, {
    action: 'target.check',
    target: t.id,
    details: { name: t.name, drift, message, servedFingerprintSha256: probe.fingerprintSha256 },
    ...(ctx ? {} : { actor: 'system' }),
  });
  if (drift && (!t.drift || t.driftMessage !== message)) {
    deps.events.emit('drift', {
      targetId: t.id,
      targetName: t.name,
      certificateId: t.certificateId,
      message: message as string,
    });
  }
}
