import { NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { NAV_SECTIONS } from './nav-items.js';

export function AppNavbar({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation();
  return (
    <ScrollArea type="never">
      <nav aria-label="Main">
        <Stack gap="md">
          {NAV_SECTIONS.map((section) => (
            <div key={section.title}>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4} aria-hidden>
                {section.title}
              </Text>
              {section.items.map((item) => {
                const active = item.isActive(pathname);
                return (
                  <NavLink
                    key={item.to}
                    component={Link}
                    to={item.to}
                    label={item.label}
                    leftSection={<item.icon size={18} stroke={1.6} />}
                    active={active}
                    aria-current={active ? 'page' : undefined}
                    onClick={onNavigate}
                    styles={{ root: { borderRadius: 'var(--mantine-radius-sm)' } }}
                  />
                );
              })}
            </div>
          ))}
        </Stack>
      </nav>
    </ScrollArea>
  );
}
