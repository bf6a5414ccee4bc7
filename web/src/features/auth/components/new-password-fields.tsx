import { PASSWORD_MIN_LENGTH } from '@certdesk/shared/rules';
import { PasswordInput } from '@mantine/core';
import { useCallback, useState } from 'react';

export interface NewPasswordState {
  next: string;
  repeat: string;
  setNext: (value: string) => void;
  setRepeat: (value: string) => void;
  /** Long enough and typed the same twice: the only new password the form may send. */
  acceptable: boolean;
  clear: () => void;
}

export function useNewPassword(): NewPasswordState {
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const clear = useCallback(() => {
    setNext('');
    setRepeat('');
  }, []);
  return {
    next,
    repeat,
    setNext,
    setRepeat,
    acceptable: next.length >= PASSWORD_MIN_LENGTH && repeat === next,
    clear,
  };
}

/**
 * The new password typed twice, with the length rule shown before it is broken; the same pair of fields
 * wherever a password is chosen, so the rule and the wording cannot drift apart.
 */
export function NewPasswordFields({ state }: { state: NewPasswordState }) {
  const tooShort = state.next.length > 0 && state.next.length < PASSWORD_MIN_LENGTH;
  const mismatch = state.repeat.length > 0 && state.repeat !== state.next;
  return (
    <>
      <PasswordInput
        label="New password"
        description={`At least ${PASSWORD_MIN_LENGTH} characters`}
        autoComplete="new-password"
        required
        value={state.next}
        error={tooShort ? `Use at least ${PASSWORD_MIN_LENGTH} characters.` : undefined}
        onChange={(e) => state.setNext(e.currentTarget.value)}
      />
      <PasswordInput
        label="New password again"
        autoComplete="new-password"
        required
        value={state.repeat}
        error={mismatch ? 'The two new passwords differ.' : undefined}
        onChange={(e) => state.setRepeat(e.currentTarget.value)}
      />
    </>
  );
}
