import {
  ActionIcon,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useCreateBinding } from '../api/create-binding.js';
import { useDeleteBinding } from '../api/delete-binding.js';
import { useBindings } from '../api/get-bindings.js';
import { useCertificateOptions } from '../api/get-certificate-options.js';
import { bindableChoices } from './certificate-choices.js';

/** SNI bindings, listed like `netsh http show sslcert`: hostname:port (or address:port) → certificate hash. */
/** The address the port listens on, IPv6 in brackets ("[::]:443") as netsh and browsers write it. */
function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function BindingsSection() {
  const bindings = useBindings();
  const certificates = useCertificateOptions();
  const create = useCreateBinding();
  const remove = useDeleteBinding();
  const [hostname, setHostname] = useState('');
  const [certificateId, setCertificateId] = useState<string | null>(null);

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!certificateId || !hostname.trim()) return;
    create.mutate(
      { hostname: hostname.trim(), certificateId: Number(certificateId) },
      {
        onSuccess: () => {
          setHostname('');
          setCertificateId(null);
        },
      },
    );
  };

  return (
    <Paper withBorder p="md" radius="md" data-testid="bindings">
      <Stack gap="sm">
        <Title order={2} size="h4">
          SSL bindings (SNI)
        </Title>
        <Text size="sm" c="dimmed">
          Several certificates on the HTTPS port, chosen by the host name the client asks for. Other names get
          the default certificate.
        </Text>
        <ErrorAlert error={bindings.error} title="Bindings could not be loaded" />
        <Table.ScrollContainer minWidth={600}>
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Hostname:port</Table.Th>
                <Table.Th>Certificate hash</Table.Th>
                <Table.Th>Certificate CN</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(bindings.data?.items ?? []).map((b) => (
                <Table.Tr key={b.isDefault ? 'default' : b.id}>
                  <Table.Td ff="monospace">
                    {b.isDefault ? `${hostPort(b.address, b.port)} (default)` : `${b.hostname}:${b.port}`}
                  </Table.Td>
                  <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {b.thumbprintSha1}
                  </Table.Td>
                  <Table.Td>{b.commonName ?? '—'}</Table.Td>
                  <Table.Td>{b.notAfter.slice(0, 10)}</Table.Td>
                  <Table.Td>
                    {b.isDefault ? null : (
                      <Tooltip label={`Delete the binding for ${b.hostname}`}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Delete binding ${b.hostname}`}
                          onClick={() => remove.mutate(b.id)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
              {bindings.data && bindings.data.items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text size="sm" c="dimmed">
                      No certificate is bound yet.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <form onSubmit={add} aria-label="Add a binding">
          <Group align="flex-end">
            <TextInput
              label="Host name"
              placeholder="api.example.com or *.example.com"
              value={hostname}
              onChange={(e) => setHostname(e.currentTarget.value)}
              style={{ flex: '1 1 220px' }}
            />
            <Select
              label="Certificate"
              placeholder="Choose"
              data={bindableChoices(certificates.data?.items)}
              nothingFoundMessage="No certificate with its key that is valid today"
              data-testid="binding-certificate"
              value={certificateId}
              onChange={setCertificateId}
              searchable
              style={{ flex: '2 1 320px' }}
            />
            <Button type="submit" loading={create.isPending} disabled={!hostname.trim() || !certificateId}>
              Add binding
            </Button>
          </Group>
        </form>
        <ErrorAlert error={create.error ?? remove.error} title="The binding was not changed" />
      </Stack>
    </Paper>
  );
}
