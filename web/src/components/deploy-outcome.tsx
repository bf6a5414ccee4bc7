import { Alert, Code, Group, List, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { DeployFailure, DeployOutcome, DeployProbe, DeployStepReport } from './deploy-outcome-types.js';

/** The step names the server reports, in an administrator's words. */
const STEP_LABELS: Record<string, string> = {
  connect: 'Connecting over SSH',
  write: 'Writing the files',
  hook: 'Running the reload hook',
  verify: 'Checking the served certificate (TLS handshake)',
  restore: 'Putting the previous files back',
  'hook-after-restore': 'Running the reload hook again after the rollback',
};

export function stepLabel(step: string | null | undefined): string {
  if (!step) return 'Unknown step';
  return STEP_LABELS[step] ?? step;
}

/** The TLS check in words: what was served, what was expected, or why there was no answer. */
export function ProbeSummary({
  probe,
  expected,
}: {
  probe: DeployProbe | null | undefined;
  /** SHA-256 of the deployed certificate, when known. */
  expected?: string | null;
}) {
  if (!probe) {
    return (
      <Text size="sm" c="dimmed">
        No TLS check was made (the target has no verify address, or the deployment stopped before it).
      </Text>
    );
  }
  return (
    <Stack gap={4} data-testid="deploy-probe">
      <Text size="sm">
        {probe.host}:{probe.port} —{' '}
        {probe.ok
          ? 'serves the deployed certificate.'
          : probe.fingerprintSha256
            ? 'serves another certificate.'
            : 'no certificate could be read.'}
      </Text>
      {probe.fingerprintSha256 ? (
        <Text size="sm">
          Served SHA-256: <Fingerprint value={probe.fingerprintSha256} />
          {probe.subject ? ` (${probe.subject})` : ''}
        </Text>
      ) : null}
      {expected && !probe.ok ? (
        <Text size="sm">
          Expected SHA-256: <Fingerprint value={expected} />
        </Text>
      ) : null}
      {probe.error ? <Text size="sm">{probe.error}</Text> : null}
    </Stack>
  );
}

function Fingerprint({ value }: { value: string }) {
  return (
    <Code style={{ wordBreak: 'break-all' }} data-testid="fingerprint">
      {value}
    </Code>
  );
}

/** Each step with its result and time: where it stopped is plain to see. */
export function StepList({ steps }: { steps: DeployStepReport[] | undefined }) {
  if (!steps?.length) return null;
  return (
    <List size="sm" spacing={2} data-testid="deploy-steps" listStyleType="none">
      {steps.map((s, i) => (
        <List.Item
          // biome-ignore lint/suspicious/noArrayIndexKey: the steps are a fixed, ordered report
          key={i}
          icon={
            s.ok ? (
              <IconCircleCheck size={16} color="var(--mantine-color-green-7)" aria-label="done" />
            ) : (
              <IconCircleX size={16} color="var(--mantine-color-red-7)" aria-label="failed" />
            )
          }
        >
          {stepLabel(s.step)}: {s.message}{' '}
          <Text span size="xs" c="dimmed">
            ({s.ms} ms)
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

/** The last lines the hook printed, as printed: monospace, scrollable, never wrapped into prose. */
export function HookOutput({ output }: { output: string | null | undefined }) {
  if (!output) return null;
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        Hook output (last lines)
      </Text>
      <ScrollArea.Autosize mah={220} type="auto" offsetScrollbars>
        <Code block data-testid="hook-output" tabIndex={0} aria-label="Hook output">
          {output}
        </Code>
      </ScrollArea.Autosize>
    </div>
  );
}

function RolledBack({ failure }: { failure: DeployFailure }) {
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title="Deployment failed — the previous files are back in place"
      data-testid="deploy-rolled-back"
    >
      <Stack gap="sm">
        <Text size="sm">
          Failed at: <strong>{stepLabel(failure.step)}</strong>
        </Text>
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {failure.message}
        </Text>
        <StepList steps={failure.steps} />
        <Text size="sm" c="dimmed">
          {failure.status === 'rolled-back'
            ? 'certdesk restored the files that were there before and ran the reload hook again, so the service keeps serving the previous certificate.'
            : 'Nothing was changed on the target.'}
        </Text>
        <HookOutput output={failure.hookOutputTail} />
        <div>
          <Text size="sm" fw={600} mb={4}>
            TLS check
          </Text>
          <ProbeSummary probe={failure.probe} expected={failure.fingerprintSha256 ?? null} />
        </div>
      </Stack>
    </Alert>
  );
}

/** Progress while a deployment runs, then what happened (success with the served fingerprint, or why not). */
export function DeployOutcomeView({
  pending,
  outcome,
}: {
  pending: boolean;
  outcome: DeployOutcome | undefined;
}) {
  if (pending) {
    return (
      <Group gap="sm" role="status" data-testid="deploy-running">
        <Loader size="sm" />
        <Text size="sm">
          Deploying: writing the files, running the hook, checking the served certificate…
        </Text>
      </Group>
    );
  }
  if (!outcome) return null;
  if (!outcome.ok) return <RolledBack failure={outcome.failure} />;
  const r = outcome.result;
  return (
    <Alert
      color="green"
      variant="light"
      icon={<IconCircleCheck size={18} />}
      title={r.probe ? 'Deployed and verified' : 'Deployed'}
      data-testid="deploy-success"
    >
      <Stack gap="xs">
        {r.probe ? (
          <Text size="sm">
            {r.probe.host}:{r.probe.port} now serves the deployed certificate.
          </Text>
        ) : (
          <Text size="sm">The files are in place. No verify address is set, so no TLS check was made.</Text>
        )}
        {r.probe?.fingerprintSha256 || r.fingerprintSha256 ? (
          <Text size="sm">
            {r.probe?.fingerprintSha256 ? 'Served' : 'Deployed'} SHA-256:{' '}
            <Fingerprint value={(r.probe?.fingerprintSha256 ?? r.fingerprintSha256) as string} />
          </Text>
        ) : null}
        <StepList steps={r.steps} />
      </Stack>
    </Alert>
  );
}
