import { Alert, Button, Code, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageLoader } from '../../../components/page-loader.js';
import { useCompleteSetup } from '../api/complete-setup.js';
import { useSetupStatus } from '../api/get-setup-status.js';
import { AuthLayout } from './auth-layout.js';

const MIN_PASSWORD = 12;
const USERNAME_PATTERN = /^[A-Za-z0-9._-]+$/;

interface FieldErrors {
  token?: string;
  username?: string;
  password?: string;
  confirm?: string;
}

function validate(token: string, username: string, password: string, confirm: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!token.trim()) errors.token = 'Paste the setup token from the server log.';
  if (!username) errors.username = 'Choose a user name.';
  else if (!USERNAME_PATTERN.test(username))
    errors.username = 'Use letters, digits, dot, dash or underscore only.';
  if (password.length < MIN_PASSWORD) errors.password = `Use at least ${MIN_PASSWORD} characters.`;
  if (confirm !== password) errors.confirm = 'The two passwords are not the same.';
  return errors;
}

/** First run: the one-time link from the server log creates the first administrator and signs them in. */
export function SetupPage() {
  const [params] = useSearchParams();
  const tokenFromLink = params.get('token') ?? '';
  const status = useSetupStatus();
  const setup = useCompleteSetup();
  const navigate = useNavigate();
  const [token, setToken] = useState(tokenFromLink);
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);

  if (status.isPending) {
    return (
      <AuthLayout title="First-run setup">
        <PageLoader label="Checking whether setup is needed…" />
      </AuthLayout>
    );
  }
  if (status.isError) {
    return (
      <AuthLayout title="First-run setup">
        <ErrorAlert error={status.error} title="Could not reach the server" />
      </AuthLayout>
    );
  }
  // After success the cache says needsSetup=false while the redirect is under way: don't flash "already done".
  if (setup.isSuccess) return null;
  if (!status.data.needsSetup) {
    return (
      <AuthLayout title="Setup is already done">
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} mb="md">
          An administrator account exists. Sign in with it.
        </Alert>
        <Button component={Link} to="/login" fullWidth>
          Go to sign in
        </Button>
      </AuthLayout>
    );
  }

  const errors = submitted ? validate(token, username, password, confirm) : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validate(token, username, password, confirm)).length > 0) return;
    setup.mutate(
      { token: token.trim(), username, password },
      {
        onSuccess: (session) => {
          notifications.show({
            color: 'teal',
            message: `Welcome, ${session.user.username}. Your account is ready.`,
          });
          navigate('/', { replace: true });
        },
      },
    );
  };

  return (
    <AuthLayout
      title="Create the administrator"
      subtitle="No account exists yet. The first one you create here manages this server."
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {setup.isError ? <ErrorAlert error={setup.error} title="Setup failed" /> : null}
          {tokenFromLink ? null : (
            <>
              <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
                <Text size="sm">
                  Open the setup link printed in the server log, or paste the token from{' '}
                  <Code data-testid="setup-token-file">{status.data?.setupTokenFile ?? 'setup-token'}</Code>.
                </Text>
              </Alert>
              <TextInput
                label="Setup token"
                name="token"
                required
                autoComplete="off"
                value={token}
                error={errors.token}
                onChange={(e) => setToken(e.currentTarget.value)}
              />
            </>
          )}
          <TextInput
            label="User name"
            name="username"
            autoComplete="username"
            required
            value={username}
            error={errors.username}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            name="password"
            description={`At least ${MIN_PASSWORD} characters. A passphrase of a few words works well.`}
            autoComplete="new-password"
            required
            value={password}
            error={errors.password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <PasswordInput
            label="Confirm password"
            name="confirm"
            autoComplete="new-password"
            required
            value={confirm}
            error={errors.confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
          />
          <Button type="submit" loading={setup.isPending} fullWidth>
            Create account and sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
