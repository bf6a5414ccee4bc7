import type { AcmeOrder } from '@certdesk/shared/types';
import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { useCheckAcmeOrder } from '../api/check-order.js';
import { useCreateAcmeOrder } from '../api/create-order.js';
import { useAcmeAccounts } from '../api/get-accounts.js';
import { useDnsHooks } from '../api/get-hooks.js';
import { useAcmeOrder } from '../api/get-order.js';
import { AcmeAccountForm } from './acme-account-form.js';

const KEYS = [
  { value: 'ec:P-256', label: 'ECDSA P-256 (recommended)' },
  { value: 'ec:P-384', label: 'ECDSA P-384' },
  { value: 'rsa:2048', label: 'RSA 2048' },
  { value: 'rsa:3072', label: 'RSA 3072' },
  { value: 'rsa:4096', label: 'RSA 4096' },
];

/** What each stored stage means to the admin watching. */
const STAGES: Record<string, string> = {
  key: 'Generating the key and CSR…',
  order: 'Placing the order with the CA…',
  authorizations: 'The CA is validating the names…',
  finalizing: 'The CA is issuing the certificate…',
  importing: 'Importing the certificate…',
};

function OrderProgress({
  order,
  onCheck,
  checking,
}: {
  order: AcmeOrder;
  onCheck: () => void;
  checking: boolean;
}) {
  if (order.status === 'valid') {
    return (
      <Alert color="green" title="Certificate issued">
        <Anchor component={Link} to={`/certificates/${order.certificateId}`}>
          Open certificate #{order.certificateId}
        </Anchor>
        {order.error ? <Text size="sm">{order.error}</Text> : null}
      </Alert>
    );
  }
  if (order.status === 'invalid') {
    return (
      <Alert color="red" title="The CA did not issue the certificate">
        {order.error}
      </Alert>
    );
  }
  if (order.stage === 'awaiting-dns') {
    return (
      <Alert color="yellow" title="Set these DNS records, then check">
        <Stack gap="xs">
          {order.dnsRecords.map((r) => (
            <Text key={r.name} size="sm">
              <Code>{r.name}</Code> TXT <Code>{r.value}</Code>
            </Text>
          ))}
          <Group>
            <Button size="xs" loading={checking} onClick={onCheck}>
              Check now
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  return (
    <Group gap="sm" role="status">
      <Loader size="sm" />
      <Text>{STAGES[order.stage] ?? `Working (${order.stage})…`}</Text>
    </Group>
  );
}

/** /acme/order — "Order with ACME": account, names, key, challenge; progress while the CA validates. */
export function AcmeOrderPage() {
  const accounts = useAcmeAccounts();
  const hooks = useDnsHooks();
  const create = useCreateAcmeOrder();
  const check = useCheckAcmeOrder();
  const [accountId, setAccountId] = useState<string | null>(null);
  const [names, setNames] = useState('');
  const [key, setKey] = useState('ec:P-256');
  const [challenge, setChallenge] = useState<'http-01' | 'dns-01'>('http-01');
  const [dnsHook, setDnsHook] = useState('manual');
  const [orderId, setOrderId] = useState<number | null>(null);
  const order = useAcmeOrder(orderId);
  const items = accounts.data?.items ?? [];
  const chosen = accountId ?? (items[0] ? String(items[0].id) : null);
  const [kind, param] = key.split(':');
  return (
    <>
      <PageHeader
        title="Order with ACME"
        description="The CA validates the names, certdesk imports the certificate and renews it by itself."
      />
      <Stack gap="lg">
        {accounts.isSuccess && items.length === 0 ? (
          <Paper withBorder radius="md" p="md">
            <Text mb="sm">Create an ACME account first.</Text>
            <AcmeAccountForm onCreated={(id) => setAccountId(String(id))} />
          </Paper>
        ) : (
          <Paper withBorder radius="md" p="md">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const list = names.split(/[\s,]+/).filter(Boolean);
                create.mutate(
                  {
                    accountId: Number(chosen),
                    commonName: list[0] ?? '',
                    subjectAltNames: list,
                    keyType: kind as 'ec' | 'rsa',
                    ...(kind === 'rsa' ? { keySize: Number(param) as 2048 } : { curve: param as 'P-256' }),
                    challenge,
                    ...(challenge === 'dns-01' ? { dnsHook } : {}),
                  },
                  { onSuccess: (r) => setOrderId(r.id) },
                );
              }}
            >
              <Stack gap="sm">
                <Select
                  label="ACME account"
                  data={items.map((a) => ({
                    value: String(a.id),
                    label: `${a.directoryUrl} (${a.email || 'no contact'})`,
                  }))}
                  value={chosen}
                  onChange={setAccountId}
                  allowDeselect={false}
                />
                <TextInput
                  label="Host names"
                  description="The first is the common name; separate with spaces or commas"
                  value={names}
                  onChange={(e) => setNames(e.currentTarget.value)}
                  required
                />
                <Select
                  label="Key"
                  data={KEYS}
                  value={key}
                  onChange={(v) => setKey(v ?? 'ec:P-256')}
                  allowDeselect={false}
                />
                <Select
                  label="Challenge"
                  data={[
                    {
                      value: 'http-01',
                      label: 'HTTP-01 (answered by this console on port 80 / its HTTP port)',
                    },
                    { value: 'dns-01', label: 'DNS-01 (TXT record)' },
                  ]}
                  value={challenge}
                  onChange={(v) => setChallenge((v as 'http-01' | 'dns-01') ?? 'http-01')}
                  allowDeselect={false}
                />
                {challenge === 'dns-01' && (
                  <Select
                    label="DNS hook"
                    data={[
                      { value: 'manual', label: 'Manual: show me the record' },
                      ...(hooks.data?.items ?? []).map((h) => ({ value: h.name, label: h.name })),
                    ]}
                    value={dnsHook}
                    onChange={(v) => setDnsHook(v ?? 'manual')}
                    allowDeselect={false}
                  />
                )}
                <ErrorAlert error={create.error} title="The order was not started" />
                <Group>
                  <Button type="submit" loading={create.isPending} disabled={!chosen || !names.trim()}>
                    Order certificate
                  </Button>
                </Group>
              </Stack>
            </form>
          </Paper>
        )}
        {order.data ? (
          <Paper withBorder radius="md" p="md" data-testid="acme-order-progress">
            <OrderProgress
              order={order.data}
              checking={check.isPending}
              onCheck={() => orderId !== null && check.mutate(orderId)}
            />
            <ErrorAlert error={check.error} title="Check failed" />
          </Paper>
        ) : null}
      </Stack>
    </>
  );
}
