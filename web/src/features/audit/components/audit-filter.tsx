import { Autocomplete, Button, Group } from '@mantine/core';
import { IconFilter, IconX } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';

/** Categories every install has; the actions seen on the current page are added to the suggestions. */
const BASE_SUGGESTIONS = ['auth.', 'auth.login', 'auth.login_failed', 'auth.logout', 'token.', 'user.'];

function suggestionsFrom(seen: string[]): string[] {
  const all = new Set(BASE_SUGGESTIONS);
  for (const action of seen) {
    all.add(action);
    const dot = action.indexOf('.');
    if (dot > 0) all.add(action.slice(0, dot + 1));
  }
  return [...all].sort();
}

interface AuditFilterProps {
  value: string;
  seenActions: string[];
  onChange: (action: string) => void;
}

export function AuditFilter({ value, seenActions, onChange }: AuditFilterProps) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft.trim());
  };

  return (
    <search aria-label="Filter the audit log">
      <form onSubmit={submit}>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Autocomplete
            label="Action"
            description="An exact action (auth.login) or a prefix ending in a dot (auth.)"
            placeholder="All actions"
            data={suggestionsFrom(seenActions)}
            value={draft}
            onChange={setDraft}
            onOptionSubmit={(option) => onChange(option)}
            maxLength={100}
            style={{ flex: '1 1 280px', maxWidth: 420 }}
          />
          <Button type="submit" variant="light" leftSection={<IconFilter size={16} />}>
            Filter
          </Button>
          {value ? (
            <Button
              variant="subtle"
              color="gray"
              leftSection={<IconX size={16} />}
              onClick={() => onChange('')}
            >
              Clear filter
            </Button>
          ) : null}
        </Group>
      </form>
    </search>
  );
}
