import type {
  Deployment,
  DeployProbe,
  DeployResult,
  Target,
  TargetCreateBody,
  TargetUpdateBody,
} from '@certdesk/shared';
import type { ErrorDetails } from '@certdesk/shared/errors';
import type { Clock, TimerHandle } from '../clock.js';
import type { Db } from '../db/open.js';
import type { DeploySettings } from '../deploy/deploy-config.js';
import { LocalTransport } from '../deploy/local-transport.js';
import type { DeployTransport, FileToWrite } from '../deploy/transport.js';
import { AppError } from '../errors.js';
import type { CertificateStore } from '../store/certificates.js';
import type { DeployLeaseStore } from '../store/deploy-leases.js';
import type { DeployTarget, DeployTargetStore } from '../store/deploy-targets.js';
import type { DeploymentStore } from '../store/deployments.js';
import type { PrivateKeyStore } from '../store/private-keys.js';
import type { AuditContext, AuditService } from './audit-service.js';
import { fileData } from './deploy-content.js';
import { DEFAULT_VERIFY_TIMING, runDeployment, type VerifyTiming } from './deploy-run.js';
import { targetInput } from './deploy-target-input.js';
import { BUSY_ELSEWHERE, DeployTurns } from './deploy-turns.js';
import { auditSummary, targetView } from './deploy-view.js';
import { checkDrift } from './drift.js';
import type { EventBus } from './events.js';

/**
 * Deployment targets: their settings, deployments as transactions (deploy-run.ts), the TLS re-check for
 * drift, and delivery of a replaced certificate's new version to every target of the old one. One
 * deployment per target at a time; automatic ones wait their turn, manual ones are told 409.
 */

/** What an SSH transport needs; the SSH adapter (deploy/ssh-transport.ts) is injected at wiring time. */
export interface SshConnectOptions {
  host: string;
  port: number;
  username: string;
  /** "SHA256:<base64>" as `ssh-keygen -l` prints it; the connection is refused on any other host key. */
  hostKeySha256: string;
  privateKey: string;
}

export type ConnectSsh = (opts: SshConnectOptions) => Promise<DeployTransport>;

export interface DeployServiceDeps {
  db: Db;
  certificates: CertificateStore;
  privateKeys: PrivateKeyStore;
  deployTargets: DeployTargetStore;
  deployments: DeploymentStore;
  deployLeases: DeployLeaseStore;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
  settings: DeploySettings;
  connectSsh?: ConnectSsh;
  verifyTiming?: VerifyTiming;
}

export type Trigger = 'manual' | 'cli' | 'promote' | 'restore' | 'renew';

const SYSTEM: AuditContext | null = null;
export class DeployService {
  /** One deployment per target, in this process and across processes. */
  private readonly turns: DeployTurns;
  /** Background work (deliveries after a replacement, periodic checks) the tests and shutdown wait for. */
  private readonly background = new Set<Promise<unknown>>();
  private driftTimer: TimerHandle | null = null;
  private stopped = false;

  constructor(private readonly deps: DeployServiceDeps) {
    this.turns = new DeployTurns(deps.deployLeases);
    deps.events.on('certificate-replaced', ({ from, to, reason }) => {
      this.track(this.followReplacement(from, to, reason));
    });
  }

  get sshAvailable(): boolean {
    return this.deps.connectSsh !== undefined;
  }

  // --- targets -------------------------------------------------------------------------------------

  private target(id: number): DeployTarget {
    const t = this.deps.deployTargets.get(id);
    if (!t) throw new AppError('TARGET_NOT_FOUND');
    return t;
  }

  view(t: DeployTarget): Target {
    return targetView(this.deps, t);
  }

  list(): Target[] {
    return this.deps.deployTargets.list().map((t) => this.view(t));
  }

  get(id: number): Target {
    return this.view(this.target(id));
  }

  ofCertificate(certificateId: number): Target[] {
    if (!this.deps.certificates.get(certificateId)) throw new AppError('CERTIFICATE_NOT_FOUND');
    return this.deps.deployTargets.ofCertificate(certificateId).map((t) => this.view(t));
  }

  /** By id or by name (the CLI takes either). */
  resolve(idOrName: string): DeployTarget {
    const byName = this.deps.deployTargets.findByName(idOrName);
    if (byName) return byName;
    if (/^\d{1,15}$/.test(idOrName)) return this.target(Number(idOrName));
    throw new AppError('TARGET_NOT_FOUND', `There is no deployment target named "${idOrName}".`);
  }

  private inputContext() {
    return {
      settings: this.deps.settings,
      certificates: this.deps.certificates,
      findByName: (name: string) => this.deps.deployTargets.findByName(name),
    };
  }

  create(body: TargetCreateBody, ctx: AuditContext | null): Target {
    const input = targetInput(this.inputContext(), body);
    const id = this.deps.deployTargets.insert(input);
    this.deps.audit.record(ctx, { action: 'target.create', target: id, details: auditSummary(input) });
    return this.get(id);
  }

  update(id: number, body: TargetUpdateBody, ctx: AuditContext | null): Target {
    const existing = this.target(id);
    const input = targetInput(this.inputContext(), body, {
      ...existing,
      sshKeyStored: existing.hasSshKey,
      pfxPasswordStored: existing.hasPfxPassword,
    });
    this.deps.deployTargets.update(id, {
      ...input,
      // Switching away from SSH drops the stored key; no PFX file left drops the password.
      sshPrivateKey: input.kind === 'ssh' ? input.sshPrivateKey : null,
      pfxPassword: input.files.some((f) => f.content === 'pfx') ? input.pfxPassword : null,
    });
    this.deps.audit.record(ctx, { action: 'target.update', target: id, details: auditSummary(input) });
    return this.get(id);
  }

  delete(id: number, ctx: AuditContext | null): void {
    const t = this.target(id);
    // Taken, never released: deleting the target deletes its lease row with it.
    this.turns.claimForever(id);
    this.deps.deployTargets.delete(id);
    this.deps.audit.record(ctx, { action: 'target.delete', target: id, details: { name: t.name } });
  }

  history(targetId: number | undefined, limit: number): Deployment[] {
    if (targetId !== undefined) this.target(targetId);
    return this.deps.deployments.list(targetId, limit);
  }

  // --- deployment ----------------------------------------------------------------------------------

  /** Manual deployment: refused with 409 while another one of this target runs. */
  deploy(id: number, ctx: AuditContext | null, trigger: Trigger = 'manual'): Promise<DeployResult> {
    this.target(id);
    return this.turns.exclusive(id, () => this.deployNow(id, ctx, trigger));
  }

  private async transportFor(t: DeployTarget): Promise<DeployTransport> {
    if (t.kind === 'local') {
      if (this.deps.settings.roots.length === 0) throw new AppError('DEPLOY_DISABLED');
      return new LocalTransport(this.deps.settings.roots);
    }
    const { connectSsh } = this.deps;
    if (!connectSsh || !t.ssh) throw new AppError('SSH_UNAVAILABLE');
    const privateKey = this.deps.deployTargets.sshPrivateKey(t.id);
    if (!privateKey)
      throw new AppError('VALIDATION_ERROR', 'No SSH private key is stored for this target.', {
        field: 'ssh.privateKey',
      });
    return connectSsh({ ...t.ssh, privateKey });
  }

  private prepareFiles(t: DeployTarget): { files: FileToWrite[]; fingerprint: string } {
    const row = this.deps.certificates.get(t.certificateId);
    if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
    const needsKey = t.files.some(
      (f) => f.content !== 'cert' && f.content !== 'chain' && f.content !== 'fullchain',
    );
    const key = needsKey && row.key_id !== null ? (this.deps.privateKeys.load(row.key_id) ?? null) : null;
    const pfxPassword = t.hasPfxPassword ? this.deps.deployTargets.pfxPassword(t.id) : null;
    const files = t.files.map((f) => ({
      path: f.path,
      data: fileData(f.content, { row, key, pfxPassword }),
      mode: Number.parseInt(f.mode, 8),
      ...(f.owner ? { owner: f.owner } : {}),
      ...(f.group ? { group: f.group } : {}),
    }));
    return { files, fingerprint: row.fingerprint_sha256 };
  }

  private async deployNow(id: number, ctx: AuditContext | null, trigger: Trigger): Promise<DeployResult> {
    const t = this.target(id);
    const audit = (action: string, details: Record<string, unknown>) =>
      this.deps.audit.record(ctx, {
        action,
        target: id,
        details: { name: t.name, certificateId: t.certificateId, trigger, ...details },
        ...(ctx ? {} : { actor: trigger === 'cli' ? 'cli' : 'system' }),
      });
    audit('deploy.start', { files: t.files.map((f) => f.path), hook: t.hook });
    const hook = t.hook ? this.deps.settings.hooks.get(t.hook) : null;
    let prepared: ReturnType<DeployService['prepareFiles']>;
    let transport: DeployTransport;
    try {
      if (t.hook && !hook)
        throw new AppError(
          'UNKNOWN_HOOK',
          `The hook "${t.hook}" is no longer declared (CERTDESK_DEPLOY_HOOKS).`,
        );
      prepared = this.prepareFiles(t);
      transport = await this.transportFor(t);
    } catch (err) {
      const message = (err as Error).message;
      this.record(
        t,
        { status: 'failed', step: 'prepare', message, hookOutputTail: null, probe: null, steps: [] },
        null,
        trigger,
      );
      audit('deploy.failed', { step: 'prepare', message });
      this.deps.events.emit('deploy-failed', {
        targetId: id,
        targetName: t.name,
        certificateId: t.certificateId,
        message,
      });
      throw err;
    }
    let outcome: Awaited<ReturnType<typeof runDeployment>>;
    try {
      outcome = await runDeployment({
        transport,
        files: prepared.files,
        hook: hook ?? null,
        verify: t.verify,
        expectedFingerprint: prepared.fingerprint,
        timing: this.deps.verifyTiming ?? DEFAULT_VERIFY_TIMING,
        onStep: (s) => audit(`deploy.${s.step}`, { ok: s.ok, message: s.message }),
      });
    } finally {
      await transport.close().catch(() => undefined);
    }
    const d = this.record(t, outcome, prepared.fingerprint, trigger);
    if (outcome.status === 'deployed') {
      audit('deploy.done', { fingerprintSha256: prepared.fingerprint });
      this.deps.deployTargets.setCheck(id, {
        drift: false,
        message: null,
        at: new Date(this.deps.clock.now()).toISOString(),
        probe: outcome.probe,
      });
      return { ...d, status: 'deployed' };
    }
    audit('deploy.failed', { status: outcome.status, step: outcome.step, message: outcome.message });
    this.deps.events.emit('deploy-failed', {
      targetId: id,
      targetName: t.name,
      certificateId: t.certificateId,
      message: outcome.message,
    });
    // API.md names the deployment's outcome `status` in this body; the HTTP status still comes from the
    // registry alone (the error handler sets it before sending the details).
    const details = {
      status: outcome.status,
      step: outcome.step,
      hookOutputTail: outcome.hookOutputTail,
      probe: outcome.probe,
      deploymentId: d.id,
      targetId: id,
    } as unknown as ErrorDetails;
    throw new AppError('DEPLOY_FAILED', outcome.message, details);
  }

  private record(
    t: DeployTarget,
    o: {
      status: Deployment['status'];
      step: string | null;
      message: string;
      hookOutputTail: string | null;
      probe: DeployProbe | null;
      steps: Deployment['steps'];
    },
    fingerprint: string | null,
    trigger: Trigger,
  ): Deployment {
    return this.deps.deployments.insert(
      { targetId: t.id, certificateId: t.certificateId, fingerprintSha256: fingerprint, trigger, ...o },
      new Date(this.deps.clock.now()).toISOString(),
    );
  }

  /** Every target of the replaced version follows it and receives the new one; failures become events. */
  private async followReplacement(
    from: number,
    to: number,
    reason: 'promote' | 'restore' | 'renew',
  ): Promise<void> {
    for (const t of this.deps.deployTargets.ofCertificate(from)) {
      const turn = await this.turns.waitTurn(t.id, () => this.stopped);
      this.deps.deployTargets.repoint(t.id, to);
      this.deps.audit.record(SYSTEM, {
        actor: 'system',
        action: 'target.follow',
        target: t.id,
        details: { name: t.name, from, to, reason },
      });
      if (!turn) {
        if (!this.stopped) this.refuseBusy(t.id, reason);
        continue;
      }
      try {
        await this.turns.exclusive(t.id, () => this.deployNow(t.id, SYSTEM, reason));
      } catch {
        // Recorded, audited and announced as deploy-failed by deployNow.
      }
    }
  }

  /** An automatic delivery that could not get its turn is a failed deployment the administrator hears of. */
  private refuseBusy(id: number, trigger: Trigger): void {
    const t = this.target(id);
    const message = `Not deployed: ${BUSY_ELSEWHERE}`;
    this.record(
      t,
      { status: 'failed', step: 'prepare', message, hookOutputTail: null, probe: null, steps: [] },
      null,
      trigger,
    );
    this.deps.audit.record(SYSTEM, {
      actor: 'system',
      action: 'deploy.failed',
      target: id,
      details: { name: t.name, certificateId: t.certificateId, trigger, step: 'prepare', message },
    });
    this.deps.events.emit('deploy-failed', {
      targetId: id,
      targetName: t.name,
      certificateId: t.certificateId,
      message,
    });
  }

  // --- drift ---------------------------------------------------------------------------------------

  /** Re-checks one target's verify address now (POST /api/targets/:id/check). */
  async check(id: number, ctx: AuditContext | null = SYSTEM): Promise<Target> {
    const t = this.target(id);
    await checkDrift(this.deps, t, ctx);
    return this.get(id);
  }

  async checkAll(): Promise<void> {
    for (const t of this.deps.deployTargets.list()) {
      if (this.stopped) return;
      if (!t.verify || this.turns.busyHere(t.id)) continue;
      await checkDrift(this.deps, t, SYSTEM).catch(() => undefined);
    }
  }

  /** The periodic re-check, on the injected clock (tests advance it; 0 minutes turns it off). */
  startDriftChecks(): void {
    const minutes = this.deps.settings.driftCheckMinutes;
    if (minutes <= 0 || this.stopped) return;
    this.driftTimer = this.deps.clock.setTimeout(() => {
      this.driftTimer = null;
      this.track(this.checkAll().finally(() => this.startDriftChecks()));
    }, minutes * 60_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.driftTimer) this.deps.clock.clearTimeout(this.driftTimer);
    await this.settled();
    this.turns.releaseAll();
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch(() => undefined).finally(() => this.background.delete(q));
    this.background.add(q);
  }

  /** Resolves once background deliveries and checks started so far have finished. */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }
}
