import {
  ActionIcon,
  Button,
  Group,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useCan } from '../../../lib/permissions.js';
import { FILE_CONTENTS, type FileContent } from '../api/types.js';
import { type FileRow, newFileRow } from './target-form-values.js';

export const CONTENT_LABELS: Record<FileContent, string> = {
  fullchain: 'Full chain (certificate + intermediates)',
  cert: 'Certificate only',
  chain: 'Intermediates only (chain)',
  key: 'Private key',
  'fullchain+key': 'Full chain + private key in one file (e.g. HAProxy)',
  'cert+key': 'Certificate + private key in one file',
  pfx: 'PFX / PKCS#12 (certificate, chain and key, password-protected)',
};

const holdsKey = (c: FileContent) => c === 'key' || c.endsWith('+key') || c === 'pfx';

/** A file with the private key sends the key where the target says: only roles that may export keys choose that. */
const contentOptions = (canExportKeys: boolean) =>
  FILE_CONTENTS.map((c) => ({
    value: c,
    label: CONTENT_LABELS[c],
    disabled: !canExportKeys && holdsKey(c),
  }));

interface FileRowsProps {
  rows: FileRow[];
  onChange: (rows: FileRow[]) => void;
  errors: Record<string, string>;
  pfxPassword: string;
  onPfxPassword: (value: string) => void;
  editing: boolean;
  local: boolean;
  /** The server's deploy roots: where a local path must lie. */
  roots: string[];
}

/** The files a target writes: one row each, what it holds, where, and the owner and mode it needs. */
export function FileRows({
  rows,
  onChange,
  errors,
  pfxPassword,
  onPfxPassword,
  editing,
  local,
  roots,
}: FileRowsProps) {
  const update = (key: number, patch: Partial<FileRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const hasPfx = rows.some((r) => r.content === 'pfx');
  const canExportKeys = useCan('keys:export');
  const options = contentOptions(canExportKeys);
  return (
    <Stack gap="sm">
      {canExportKeys ? null : (
        <Text size="sm" c="dimmed" data-testid="key-files-admin-only">
          Files that hold the private key are set up by an administrator: your role cannot export private
          keys.
          {rows.some((r) => holdsKey(r.content))
            ? ' This target writes one, so only an administrator can change it; you can still deploy it.'
            : ''}
        </Text>
      )}
      {local && roots.length ? (
        <Text size="sm" c="dimmed">
          Local paths must be under {roots.join(' or ')}; the directory must already exist.
        </Text>
      ) : null}
      {rows.map((row, i) => (
        <Paper key={row.key} withBorder p="sm" radius="sm" data-testid="file-row">
          <Group justify="space-between" mb={4}>
            <Text size="sm" fw={600}>
              File {i + 1}
            </Text>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove file ${i + 1}`}
              onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
              disabled={rows.length === 1}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label="Path"
              placeholder={local && roots[0] ? `${roots[0]}/example.pem` : '/etc/ssl/private/example.pem'}
              value={row.path}
              onChange={(e) => update(row.key, { path: e.currentTarget.value })}
              error={errors[`files.${i}.path`]}
              style={{ flex: '1 1 100%' }}
              spellCheck={false}
            />
          </Group>
          <Group align="flex-start" gap="sm" wrap="wrap" mt="xs">
            <Select
              label="Holds"
              data={options}
              value={row.content}
              onChange={(c) => c && update(row.key, { content: c as FileContent })}
              allowDeselect={false}
              error={errors[`files.${i}.content`]}
              style={{ flex: '2 1 280px' }}
              comboboxProps={{ width: 'max-content', position: 'bottom-start' }}
            />
            <TextInput
              label="Mode"
              placeholder={holdsKey(row.content) ? '0600' : '0644'}
              value={row.mode}
              onChange={(e) => update(row.key, { mode: e.currentTarget.value })}
              error={errors[`files.${i}.mode`]}
              w={110}
              spellCheck={false}
            />
            <TextInput
              label="Owner"
              placeholder="unchanged"
              value={row.owner}
              onChange={(e) => update(row.key, { owner: e.currentTarget.value })}
              error={errors[`files.${i}.owner`]}
              w={130}
              spellCheck={false}
            />
            <TextInput
              label="Group"
              placeholder="unchanged"
              value={row.group}
              onChange={(e) => update(row.key, { group: e.currentTarget.value })}
              error={errors[`files.${i}.group`]}
              w={130}
              spellCheck={false}
            />
          </Group>
        </Paper>
      ))}
      {errors.files ? (
        <Text size="sm" c="red" role="alert">
          {errors.files}
        </Text>
      ) : null}
      <Button
        variant="default"
        leftSection={<IconPlus size={16} />}
        onClick={() => onChange([...rows, newFileRow('fullchain')])}
        w="fit-content"
      >
        Add a file
      </Button>
      <Text size="xs" c="dimmed">
        Each file is written beside its final name, flushed, then renamed over the old one; the old one is
        kept as <code>&lt;path&gt;.certdesk-previous</code>. Without a mode, key files get 0600 and
        certificates 0644.
      </Text>
      {hasPfx ? (
        <PasswordInput
          label="PFX password"
          description={
            editing
              ? 'Stored — leave empty to keep it.'
              : 'The password the service uses to open the PFX file. Stored sealed, never shown again.'
          }
          value={pfxPassword}
          onChange={(e) => onPfxPassword(e.currentTarget.value)}
          error={errors.pfxPassword}
          autoComplete="new-password"
          maw={360}
        />
      ) : null}
    </Stack>
  );
}
