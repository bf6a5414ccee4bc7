import { Burger, Button, Group, Text, ThemeIcon } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock, IconLogout } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { useMe } from '../../features/auth/api/get-me.js';
import { useLogout } from '../../features/auth/api/logout.js';
import { AccountMenu } from '../../features/auth/components/account-menu.js';

interface AppHeaderProps {
  navOpened: boolean;
  onToggleNav: () => void;
}

export function AppHeader({ navOpened, onToggleNav }: AppHeaderProps) {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();

  const signOut = () =>
    logout.mutate(undefined, {
      onSettled: () => {
        notifications.show({ color: 'gray', message: 'You are signed out.' });
        navigate('/login', { replace: true });
      },
    });

  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Burger
          opened={navOpened}
          onClick={onToggleNav}
          hiddenFrom="sm"
          size="sm"
          aria-label="Toggle navigation"
        />
        <Group
          gap={8}
          wrap="nowrap"
          renderRoot={(props) => <Link to="/" aria-label="certdesk home" {...props} />}
          style={{ textDecoration: 'none', color: 'inherit' }}
        >
          <ThemeIcon size={30} radius="md" variant="filled">
            <IconLock size={18} />
          </ThemeIcon>
          <Text fw={700} size="lg">
            certdesk
          </Text>
        </Group>
      </Group>
      <Group gap="sm" wrap="nowrap">
        {me.data ? <AccountMenu username={me.data.user.username} /> : null}
        <Button
          variant="default"
          size="xs"
          leftSection={<IconLogout size={14} />}
          onClick={signOut}
          loading={logout.isPending}
        >
          Sign out
        </Button>
      </Group>
    </Group>
  );
}
