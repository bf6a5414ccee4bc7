import { Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconChevronDown,
  IconDevicesOff,
  IconKey,
  IconShieldLock,
  IconUserCircle,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { useLogoutAll } from '../api/logout-all.js';
import { ChangePasswordModal } from './change-password-modal.js';

/** "Signed in as …" with the account's actions: change password, two-factor sign-in, sign out everywhere. */
export function AccountMenu({ username }: { username: string }) {
  const [changing, setChanging] = useState(false);
  const [endingAll, setEndingAll] = useState(false);
  const logoutAll = useLogoutAll();
  const navigate = useNavigate();

  const signOutEverywhere = () =>
    logoutAll.mutate(undefined, {
      onSuccess: () => {
        notifications.show({ color: 'gray', message: 'You are signed out everywhere.' });
        navigate('/login', { replace: true });
      },
    });

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <UnstyledButton aria-label={`Account ${username}`}>
            <Group gap={6} wrap="nowrap" visibleFrom="xs" data-testid="signed-in-user">
              <IconUserCircle size={18} color="var(--mantine-color-dimmed)" />
              <Text size="sm" c="dimmed">
                Signed in as
              </Text>
              <Text size="sm" fw={600}>
                {username}
              </Text>
              <IconChevronDown size={14} color="var(--mantine-color-dimmed)" />
            </Group>
            <Group hiddenFrom="xs">
              <IconUserCircle size={20} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconKey size={14} />} onClick={() => setChanging(true)}>
            Change password
          </Menu.Item>
          <Menu.Item
            leftSection={<IconShieldLock size={14} />}
            onClick={() => navigate('/account/two-factor')}
          >
            Two-factor sign-in
          </Menu.Item>
          <Menu.Item leftSection={<IconDevicesOff size={14} />} onClick={() => setEndingAll(true)}>
            Sign out everywhere
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={changing} onClose={() => setChanging(false)} />
      <ConfirmModal
        opened={endingAll}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        onConfirm={signOutEverywhere}
        onClose={() => {
          logoutAll.reset();
          setEndingAll(false);
        }}
        loading={logoutAll.isPending}
        error={logoutAll.error}
      >
        <Text size="sm">
          Every browser signed in to this account is signed out, this one included. API tokens keep working;
          delete them under API tokens.
        </Text>
      </ConfirmModal>
    </>
  );
}
