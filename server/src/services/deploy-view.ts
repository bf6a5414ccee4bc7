import type { Target } from '@certdesk/shared';
import type { CertificateStore } from '../store/certificates.js';
import type { DeployTarget, DeployTargetInput } from '../store/deploy-targets.js';
import type { DeploymentStore } from '../store/deployments.js';

/** How a target is shown (API) and audited: never its SSH key or PFX password, only whether it has them. */

export function targetView(
  deps: { certificates: CertificateStore; deployments: DeploymentStore },
  t: DeployTarget,
): Target {
  const cert = deps.certificates.get(t.certificateId);
  return {
    id: t.id,
    name: t.name,
    certificateId: t.certificateId,
    certificateCommonName: cert?.common_name ?? null,
    kind: t.kind,
    ssh: t.ssh ? { ...t.ssh, hasPrivateKey: t.hasSshKey } : null,
    files: t.files,
    hasPfxPassword: t.hasPfxPassword,
    hook: t.hook,
    verify: t.verify,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    lastDeployment: deps.deployments.last(t.id),
    drift: t.drift,
    driftMessage: t.driftMessage,
    lastCheck: t.lastCheck,
  };
}

export function auditSummary(input: DeployTargetInput): Record<string, unknown> {
  return {
    name: input.name,
    certificateId: input.certificateId,
    kind: input.kind,
    files: input.files.map((f) => ({ path: f.path, content: f.content, mode: f.mode })),
    hook: input.hook,
    verify: input.verify,
    ...(input.ssh ? { ssh: input.ssh, sshPrivateKeyChanged: input.sshPrivateKey !== undefined } : {}),
  };
}
