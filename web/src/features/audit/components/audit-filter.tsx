import { Autocomplete, Button, Group, TextInput } from '@mantine/core';
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

/** The filters of the log, as they stand in the address (empty string = not filtered). */
export interface AuditFilters {
  action: string;
  actor: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { action: '', actor: '', from: '', to: '' };

export function isFiltered(f: AuditFilters): boolean {
  return Object.values(f).some(Boolean);
}

interface AuditFilterProps {
  value: AuditFilters;
  seenActions: string[];
  seenActors: string[];
  onChange: (filters: AuditFilters) => void;
}

export function AuditFilter({ value, seenActions, seenActors, onChange }: AuditFilterProps) {
  const [draft, setDraft] = useState(value);
  const valueKey = JSON.stringify(value);
  useEffect(() => setDraft(JSON.parse(valueKey) as AuditFilters), [valueKey]);
  const set = (key: keyof AuditFilters, v: string) => setDraft((d) => ({ ...d, [key]: v }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({
      action: draft.action.trim(),
      actor: draft.actor.trim(),
      from: draft.from,
      to: draft.to,
    });
  };

  return (
    <search aria-label="Filter the audit log">
      <form onSubmit={submit}>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Autocomplete
            label="User"
            placeholder="All users"
            data={[...new Set(seenActors)].sort()}
            value={draft.actor}
            onChange={(v) => set('actor', v)}
            maxLength={200}
            style={{ flex: '1 1 160px', maxWidth: 220 }}
            data-testid="audit-actor"
          />
          <Autocomplete
            label="Action"
            description="Exact (auth.login) or a prefix ending in a dot (auth.)"
            placeholder="All actions"
            data={suggestionsFrom(seenActions)}
            value={draft.action}
            onChange={(v) => set('action', v)}
            maxLength={100}
            style={{ flex: '1 1 240px', maxWidth: 340 }}
          />
          <TextInput
            type="date"
            label="From"
            description="Day, UTC"
            value={draft.from}
            onChange={(e) => set('from', e.currentTarget.value)}
            max={draft.to || undefined}
            w={160}
            data-testid="audit-from"
          />
          <TextInput
            type="date"
            label="To"
            description="Included"
            value={draft.to}
            onChange={(e) => set('to', e.currentTarget.value)}
            min={draft.from || undefined}
            w={160}
            data-testid="audit-to"
          />
          <Button type="submit" variant="light" leftSection={<IconFilter size={16} />}>
            Filter
          </Button>
          {isFiltered(value) ? (
            <Button
              variant="subtle"
              color="gray"
              leftSection={<IconX size={16} />}
              onClick={() => onChange(NO_FILTERS)}
            >
              Clear filter
            </Button>
          ) : null}
        </Group>
      </form>
    </search>
  );
}
