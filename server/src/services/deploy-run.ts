import type { DeploymentStatus, DeployProbe, DeployStep } from '@certdesk/shared';
import type { DeployHook } from '../deploy/deploy-config.js';
import { fetchServedCertificate, type VerifyAddress } from '../deploy/tls-verify.js';
import type { DeployTransport, FileToWrite, HookResult, WrittenFile } from '../deploy/transport.js';

/**
 * One deployment as a transaction over a transport: write every file (the transport puts back what it
 * replaced when a write fails), run the hook, check the served certificate; any failure after the files
 * were swapped puts every previous file back and runs the hook again, so the service keeps serving what
 * it served before. Each step is reported to `onStep` as it ends (the audit log).
 */

export interface VerifyTiming {
  /** How long the service may take to serve the new certificate after the hook (reloads are asynchronous). */
  windowMs: number;
  /** Longest pause between handshakes inside the window. */
  intervalMs: number;
  /**
   * Pause after the first handshake, doubling after each one up to `intervalMs` (default: `intervalMs`,
   * a constant pause). A reload usually returns before the service swapped its workers, so the first
   * handshake often still sees the old certificate; a short first pause finds the new one soon after.
   */
  firstIntervalMs?: number;
  /** One handshake's limit. */
  attemptTimeoutMs: number;
}

export const DEFAULT_VERIFY_TIMING: VerifyTiming = {
  windowMs: 15_000,
  intervalMs: 500,
  firstIntervalMs: 50,
  attemptTimeoutMs: 5_000,
};

/** The pause after handshake number `attempt` (1-based): first, then doubled, never above intervalMs. */
export function verifyPauseMs(timing: VerifyTiming, attempt: number): number {
  const first = Math.min(timing.firstIntervalMs ?? timing.intervalMs, timing.intervalMs);
  return Math.min(timing.intervalMs, first * 2 ** Math.min(30, Math.max(0, attempt - 1)));
}

export interface RunInput {
  transport: DeployTransport;
  files: FileToWrite[];
  hook: DeployHook | null;
  verify: VerifyAddress | null;
  expectedFingerprint: string;
  timing: VerifyTiming;
  onStep: (step: DeployStep) => void;
}

export interface RunOutcome {
  status: DeploymentStatus;
  /** The step that failed; null when deployed. */
  step: string | null;
  message: string;
  hookOutputTail: string | null;
  probe: DeployProbe | null;
  steps: DeployStep[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Handshakes until the expected certificate is served or the window closes. Real time on purpose: this
 * waits on another process (the reloading service), not on anything the injected clock schedules.
 */
export async function verifyServed(
  addr: VerifyAddress,
  expected: string,
  timing: VerifyTiming,
): Promise<DeployProbe> {
  const started = Date.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    const left = timing.windowMs - (Date.now() - started);
    const served = await fetchServedCertificate(addr, Math.max(500, Math.min(timing.attemptTimeoutMs, left)));
    const probe: DeployProbe = {
      ok: served.ok && served.fingerprintSha256 === expected,
      host: addr.host,
      port: addr.port,
      fingerprintSha256: served.ok ? served.fingerprintSha256 : null,
      subject: served.ok ? served.subject : null,
      notAfter: served.ok ? served.notAfter : null,
      error: served.ok ? null : served.error,
      attempts,
    };
    const pause = verifyPauseMs(timing, attempts);
    if (probe.ok || Date.now() - started + pause >= timing.windowMs) return probe;
    await sleep(pause);
  }
}

function hookFailure(hook: DeployHook, r: HookResult): string | null {
  if (r.timedOut)
    return `The hook "${hook.name}" did not finish within ${hook.timeoutSeconds} s and was stopped.`;
  if (r.exitCode !== 0) {
    return r.exitCode === null
      ? `The hook "${hook.name}" could not be run.`
      : `The hook "${hook.name}" exited with status ${r.exitCode}.`;
  }
  return null;
}

export function probeMismatch(probe: DeployProbe, expected: string): string {
  if (probe.error) return `The TLS check found no certificate: ${probe.error}`;
  return `The service at ${probe.host}:${probe.port} serves another certificate (${probe.subject}, SHA-256 ${probe.fingerprintSha256}) than the one deployed (SHA-256 ${expected}) after ${probe.attempts} handshake(s).`;
}

export async function runDeployment(input: RunInput): Promise<RunOutcome> {
  const steps: DeployStep[] = [];
  const step = async <T>(name: string, body: () => Promise<T>, describe: (v: T) => [boolean, string]) => {
    const t0 = Date.now();
    try {
      const value = await body();
      const [ok, message] = describe(value);
      const s = { step: name, ok, message, ms: Date.now() - t0 };
      steps.push(s);
      input.onStep(s);
      return { value, ok, message };
    } catch (err) {
      const s = { step: name, ok: false, message: (err as Error).message, ms: Date.now() - t0 };
      steps.push(s);
      input.onStep(s);
      return { value: undefined, ok: false, message: s.message };
    }
  };
  const { transport, hook, verify } = input;

  const write = await step(
    'write',
    () => transport.writeFiles(input.files),
    (w) => [
      true,
      `Wrote ${w.length} file(s) on ${transport.description}: ${w.map((f) => f.path).join(', ')}.`,
    ],
  );
  if (!write.ok || !write.value) {
    // The transport already put back what it had replaced; the service never loaded the new files.
    return {
      status: 'rolled-back',
      step: 'write',
      message: write.message,
      hookOutputTail: null,
      probe: null,
      steps,
    };
  }
  const written: WrittenFile[] = write.value;

  let failedStep: string | null = null;
  let failure = '';
  let hookOutputTail: string | null = null;
  let probe: DeployProbe | null = null;
  if (hook) {
    const h = await step(
      'hook',
      () => transport.runHook(hook.command, hook.timeoutSeconds * 1000),
      (r) => {
        const why = hookFailure(hook, r);
        return why ? [false, why] : [true, `The hook "${hook.name}" succeeded.`];
      },
    );
    hookOutputTail = h.value?.outputTail ?? null;
    if (!h.ok) [failedStep, failure] = ['hook', h.message];
  }
  if (!failedStep && verify) {
    const v = await step(
      'verify',
      () => verifyServed(verify, input.expectedFingerprint, input.timing),
      (p) =>
        p.ok
          ? [true, `${p.host}:${p.port} serves the deployed certificate.`]
          : [false, probeMismatch(p, input.expectedFingerprint)],
    );
    probe = v.value ?? null;
    if (!v.ok) [failedStep, failure] = ['verify', v.message];
  }
  if (!failedStep) {
    return { status: 'deployed', step: null, message: 'Deployed.', hookOutputTail, probe, steps };
  }

  const restored = await step(
    'restore',
    () => transport.restore(written),
    () => [true, 'The previous files were put back.'],
  );
  let rolledBack = restored.ok;
  if (hook && restored.ok) {
    const again = await step(
      'hook-after-restore',
      () => transport.runHook(hook.command, hook.timeoutSeconds * 1000),
      (r) => {
        const why = hookFailure(hook, r);
        return why
          ? [false, `${why} (after the previous files were put back)`]
          : [true, `The hook "${hook.name}" ran again on the previous files.`];
      },
    );
    // The files are back either way; a hook that failed on the old files too was failing before we came.
    if (!again.ok && failedStep !== 'hook') rolledBack = false;
  }
  const message = rolledBack
    ? `${failure} The previous files were put back.`
    : `${failure} Putting the previous files back did not fully succeed: ${steps
        .filter((s) => !s.ok && s.step !== failedStep)
        .map((s) => s.message)
        .join(' ')}`;
  return {
    status: rolledBack ? 'rolled-back' : 'failed',
    step: failedStep,
    message,
    hookOutputTail,
    probe,
    steps,
  };
}
