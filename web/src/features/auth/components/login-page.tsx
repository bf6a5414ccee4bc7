import { ERROR_CODES } from '@certdesk/shared/errors';
import { Alert, Anchor, Button, Code, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { type FormEvent, useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { ApiError, isApiError } from '../../../lib/api-client.js';
import { safeNext } from '../../../lib/safe-next.js';
import { useMe } from '../api/get-me.js';
import { useSetupStatus } from '../api/get-setup-status.js';
import { useLogin } from '../api/login.js';
import { AuthLayout } from './auth-layout.js';

/** "Try again in 1 seconds" reads badly: build the sentence from retryAfterSeconds when the server sends it. */
function rateLimitSentence(error: ApiError): string {
  const wait = error.body.retryAfterSeconds;
  if (typeof wait !== 'number' || !Number.isFinite(wait)) return error.message;
  const span =
    wait >= 90 ? `${Math.ceil(wait / 60)} minutes` : `${wait} ${wait === 1 ? 'second' : 'seconds'}`;
  return `Too many failed sign-ins. Wait ${span} before trying again.`;
}

/** The sentences the sign-in form shows for the errors an administrator actually meets. */
function LoginError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === ERROR_CODES.INVALID_CREDENTIALS) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        role="alert"
        data-testid="login-error"
      >
        The user name or password is wrong. Check both and try again.
      </Alert>
    );
  }
  if (error instanceof ApiError && error.code === ERROR_CODES.RATE_LIMITED) {
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        role="alert"
        data-testid="login-error"
      >
        {rateLimitSentence(error)}
      </Alert>
    );
  }
  if (error instanceof ApiError && error.code === ERROR_CODES.TOTP_REQUIRED) return null;
  if (error instanceof ApiError && error.code === ERROR_CODES.INVALID_TOTP) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        role="alert"
        data-testid="login-error"
      >
        The code is wrong or was already used. Enter the code your app shows now.
      </Alert>
    );
  }
  return <ErrorAlert error={error} title="Could not sign in" />;
}

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const me = useMe();
  const setup = useSetupStatus();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const passwordRef = useRef<HTMLInputElement>(null);
  // Two-factor step: shown once the server answered TOTP_REQUIRED for the right password.
  const [codeStep, setCodeStep] = useState(false);
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);

  if (me.isSuccess) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) return;
    if (codeStep && !code.trim()) return;
    login.mutate(
      { username: username.trim(), password, ...(codeStep ? { totp: code.trim() } : {}) },
      {
        onSuccess: () => navigate(next, { replace: true }),
        onError: (error) => {
          if (isApiError(error, ERROR_CODES.TOTP_REQUIRED) || isApiError(error, ERROR_CODES.INVALID_TOTP)) {
            // The password was right: keep it for the second step and ask for the code.
            setCodeStep(true);
            setCode('');
            setTimeout(() => codeRef.current?.focus(), 0);
            return;
          }
          // Keep the user name, clear the password and put the cursor back there for the next try.
          setCodeStep(false);
          setCode('');
          setPassword('');
          passwordRef.current?.focus();
        },
      },
    );
  };

  const startOver = () => {
    login.reset();
    setCodeStep(false);
    setCode('');
    setUseRecovery(false);
    setPassword('');
    setTimeout(() => passwordRef.current?.focus(), 0);
  };

  if (codeStep) {
    return (
      <AuthLayout title="Two-factor sign-in" subtitle={`Signing in as ${username.trim()}.`}>
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {login.isError ? <LoginError error={login.error} /> : null}
            {useRecovery ? (
              <TextInput
                key="recovery"
                label="Recovery code"
                description="One of the codes you saved when you set up two-factor sign-in. Each works once."
                name="recovery-code"
                autoComplete="off"
                spellCheck={false}
                ref={codeRef}
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
              />
            ) : (
              <TextInput
                key="totp"
                label="Authentication code"
                description="The 6-digit code your authenticator app shows for certdesk."
                name="totp"
                autoComplete="one-time-code"
                inputMode="numeric"
                pattern="[0-9]*"
                maxLength={6}
                ref={codeRef}
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
              />
            )}
            <Button type="submit" loading={login.isPending} disabled={!code.trim()} fullWidth>
              Verify and sign in
            </Button>
            <Group justify="space-between">
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  setUseRecovery((v) => !v);
                  setCode('');
                  login.reset();
                  setTimeout(() => codeRef.current?.focus(), 0);
                }}
              >
                {useRecovery ? 'Use the authenticator app' : 'Use a recovery code'}
              </Anchor>
              <Anchor component="button" type="button" size="sm" onClick={startOver}>
                Start over
              </Anchor>
            </Group>
          </Stack>
        </form>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Sign in" subtitle="Manage the TLS certificate of this server.">
      {setup.data?.needsSetup ? (
        <Alert
          color="blue"
          variant="light"
          icon={<IconInfoCircle size={18} />}
          mb="md"
          title="No administrator yet"
        >
          <Text size="sm">
            Finish the first-run setup with the one-time link printed in the server log (also saved in{' '}
            <Code data-testid="setup-token-file">{setup.data.setupTokenFile ?? 'setup-token'}</Code>, in the
            data directory).
          </Text>
          <Anchor component={Link} to="/setup" size="sm" mt={6} display="inline-block">
            I have the setup token
          </Anchor>
        </Alert>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {login.isError ? <LoginError error={login.error} /> : null}
          <TextInput
            label="User name"
            name="username"
            autoComplete="username"
            autoFocus
            required
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            ref={passwordRef}
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending} disabled={!username.trim() || !password} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
