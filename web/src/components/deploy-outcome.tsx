import { Alert, Code, Group, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { DeployFailure, DeployOutcome, DeployProbe } from './deploy-outcome-types.js';

/** The step names the server reports, in an administrator's words. */
const STEP_LABELS: Record<string, string> = {
  write: 'Writing the files',
  files: 'Writing the files',
  connect: 'Connecting over SSH',
  ssh: 'Connecting over SSH',
  hook: 'Running the reload hook',
  verify: 'Checking the served certificate (TLS handshake)',
  probe: 'Checking the served certificate (TLS handshake)',
  handshake: 'Checking the served certificate (TLS handshake)',
};

export function stepLabel(step: string | null | undefined): string {
  if (!step) return 'Unknown step';
  return STEP_LABELS[step] ?? step;
}

function served(probe: DeployProbe | null | undefined): string | null {
  if (!probe) return null;
  return probe.servedFingerprintSha256 ?? probe.fingerprintSha256 ?? null;
}

/** The TLS check in words: what was served, what was expected, or why there was no answer. */
export function ProbeSummary({ probe }: { probe: DeployProbe | null | undefined }) {
  if (!probe) {
    return (
      <Text size="sm" c="dimmed">
        No TLS check was made (the target has no verify address, or the deployment stopped before it).
      </Text>
    );
  }
  const got = served(probe);
  const problem = probe.error ?? probe.message ?? null;
  const where = probe.host ? `${probe.host}${probe.port ? `:${probe.port}` : ''}` : null;
  return (
    <Stack gap={4} data-testid="deploy-probe">
      {where ? <Text size="sm">Address checked: {where}</Text> : null}
      {probe.ok !== undefined ? (
        <Text size="sm">
          Result: {probe.ok ? 'the service serves the deployed certificate' : 'the check did not pass'}
        </Text>
      ) : null}
      {got ? (
        <Text size="sm">
          Served SHA-256: <Code style={{ wordBreak: 'break-all' }}>{got}</Code>
        </Text>
      ) : null}
      {probe.expectedFingerprintSha256 ? (
        <Text size="sm">
          Expected SHA-256: <Code style={{ wordBreak: 'break-all' }}>{probe.expectedFingerprintSha256}</Code>
        </Text>
      ) : null}
      {problem ? <Text size="sm">{problem}</Text> : null}
    </Stack>
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
        <Text size="sm">{failure.message}</Text>
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
          <ProbeSummary probe={failure.probe} />
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
  const fingerprint = served(r.probe) ?? r.fingerprintSha256 ?? null;
  return (
    <Alert
      color="green"
      variant="light"
      icon={<IconCircleCheck size={18} />}
      title="Deployed"
      data-testid="deploy-success"
    >
      <Stack gap={4}>
        {r.message ? <Text size="sm">{r.message}</Text> : null}
        {r.probe ? (
          <Text size="sm">The service now serves the deployed certificate.</Text>
        ) : (
          <Text size="sm">The files are in place (no verify address: no TLS check was made).</Text>
        )}
        {fingerprint ? (
          <Text size="sm">
            {r.probe ? 'Served' : 'Deployed'} SHA-256:{' '}
            <Code style={{ wordBreak: 'break-all' }} data-testid="deploy-fingerprint">
              {fingerprint}
            </Code>
          </Text>
        ) : null}
      </Stack>
    </Alert>
  );
}
