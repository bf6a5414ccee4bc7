import { Alert, Button, Group, Stack, Text } from '@mantine/core';

interface Props {
  fileName: string;
  pending: boolean;
  onTrust: () => void;
  onCancel: () => void;
}

/**
 * Shown when the uploaded CA certificate is an intermediate. Adding its root is the right fix; trusting the
 * intermediate itself is for when the root cannot be had (a private CA that hands out only its issuing CA).
 */
export function IntermediateChoice({ fileName, pending, onTrust, onCancel }: Props) {
  return (
    <Alert
      color="yellow"
      title="This is an intermediate CA, not a root"
      data-testid="trust-anchor-intermediate"
    >
      <Stack gap="sm">
        <Text size="sm">
          {fileName} was issued by another CA. Add that CA's root certificate instead if you can get it: then
          every intermediate under it is trusted too.
        </Text>
        <Text size="sm">
          If the root is not available, you can trust this intermediate itself. Certificates it issued will
          pass the chain check, and certdesk keeps sending this intermediate to clients with them, because
          clients other than this console do not trust it.
        </Text>
        <Group gap="sm">
          <Button
            variant="light"
            color="yellow"
            loading={pending}
            onClick={onTrust}
            data-testid="trust-anchor-allow-intermediate"
          >
            Trust this intermediate anyway
          </Button>
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
