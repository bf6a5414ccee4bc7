import { Alert, Code, List, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { DeployConfig } from '../api/types.js';

/**
 * Local deployments are off until the server names where they may write: the sentence an administrator
 * needs to switch them on (not a dead end).
 */
export function DeployDisabledNotice({ sshAvailable }: { sshAvailable: boolean }) {
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconLock size={18} />}
      title="Local targets are disabled"
      data-testid="deploy-disabled"
    >
      <Text size="sm">
        This server has no deploy roots, so certdesk may not write certificate files on this machine.
        {sshAvailable ? ' SSH targets still work.' : ''} To allow local targets, set{' '}
        <Code>CERTDESK_DEPLOY_ROOTS</Code> to the directories certdesk may write under (separated by{' '}
        <Code>:</Code>, e.g. <Code>/etc/nginx/certs:/etc/haproxy/certs</Code>) and, for reload commands,{' '}
        <Code>CERTDESK_DEPLOY_HOOKS</Code> to a JSON file such as{' '}
        <Code>{'{"nginx-reload": {"command": ["/usr/sbin/nginx", "-s", "reload"]}}'}</Code>, then restart
        certdesk.
      </Text>
    </Alert>
  );
}

/** What the server allows, read-only: the browser can choose among these, never add to them. */
export function ServerPolicy({ config }: { config: DeployConfig }) {
  return (
    <Stack gap="xs" data-testid="server-policy">
      <div>
        <Text size="sm" fw={600}>
          Directories local targets may write under
        </Text>
        {config.roots.length ? (
          <List size="sm" spacing={2}>
            {config.roots.map((r) => (
              <List.Item key={r}>
                <Code>{r}</Code>
              </List.Item>
            ))}
          </List>
        ) : (
          <Text size="sm" c="dimmed">
            None: local targets are disabled.
          </Text>
        )}
        <Text size="xs" c="dimmed">
          Set on the server by <Code>CERTDESK_DEPLOY_ROOTS</Code> (directories separated by <Code>:</Code>).
        </Text>
      </div>
      <div>
        <Text size="sm" fw={600}>
          Reload hooks
        </Text>
        {config.hooks.length ? (
          <List size="sm" spacing={2}>
            {config.hooks.map((h) => (
              <List.Item key={h.name}>
                <Text span size="sm" fw={600}>
                  {h.name}
                </Text>
                : <Code>{h.command.join(' ')}</Code>
                {h.timeoutSeconds ? ` (stopped after ${h.timeoutSeconds} s)` : ''}
              </List.Item>
            ))}
          </List>
        ) : (
          <Text size="sm" c="dimmed">
            None declared: targets can only write files.
          </Text>
        )}
        <Text size="xs" c="dimmed">
          Set on the server by <Code>CERTDESK_DEPLOY_HOOKS</Code> (a JSON file of names and commands, run
          without a shell).
        </Text>
      </div>
      {config.driftCheckMinutes ? (
        <Text size="xs" c="dimmed">
          Every target with a verify address is re-checked for drift every {config.driftCheckMinutes} min.
        </Text>
      ) : null}
      {config.sshAvailable === false ? (
        <Text size="xs" c="dimmed">
          SSH targets are not available on this server.
        </Text>
      ) : null}
    </Stack>
  );
}
