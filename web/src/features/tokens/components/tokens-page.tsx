import type { ApiToken, TokenCreated } from '@certdesk/shared/types';
import { Code, Paper } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { useTokens } from '../api/get-tokens.js';
import { CreateTokenForm } from './create-token-form.js';
import { DeleteTokenModal } from './delete-token-modal.js';
import { TokenCreatedModal } from './token-created-modal.js';
import { TokensTable } from './tokens-table.js';

export function TokensPage() {
  const tokens = useTokens();
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [toDelete, setToDelete] = useState<ApiToken | null>(null);

  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            For scripts and the API: send <Code>Authorization: Bearer &lt;token&gt;</Code>. A token acts as
            you, so keep it as secret as your password.
          </>
        }
      />
      <CreateTokenForm onCreated={setCreated} />
      <Paper withBorder radius="md" p="md">
        {tokens.isPending ? (
          <PageLoader label="Loading tokens…" />
        ) : tokens.isError ? (
          <ErrorAlert error={tokens.error} title="Could not load the tokens" />
        ) : tokens.data.items.length === 0 ? (
          <EmptyState
            icon={<IconKey size={26} />}
            title="No API tokens yet"
            description="Create one above when a script or another machine needs to call certdesk."
          />
        ) : (
          <TokensTable tokens={tokens.data.items} onDelete={setToDelete} />
        )}
      </Paper>
      <TokenCreatedModal token={created} onClose={() => setCreated(null)} />
      <DeleteTokenModal token={toDelete} onClose={() => setToDelete(null)} />
    </>
  );
}
