import { CloseButton, List, Pill, PillsInput, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { type ClipboardEvent, type KeyboardEvent, useId, useState } from 'react';

const SPLIT = /[\s,;]+/;

interface SanInputProps {
  label: string;
  description: string;
  placeholder: string;
  values: string[];
  /** Why each entry is not usable (null when it is), in the order of `values`. */
  entryErrors: (string | null)[];
  /** Shown under the field: a problem of the list as a whole (too many names, the server's verdict). */
  error?: string;
  /** Entry errors show once the admin has been here. */
  showEntryErrors: boolean;
  onChange: (values: string[]) => void;
  onBlur: () => void;
}

/**
 * The SAN chips. A bad entry is marked on its own chip and explained in its own message (not all of them
 * in one paragraph), so the admin sees which one to fix. Enter, comma, space or semicolon ends an entry.
 */
export function SanInput(props: SanInputProps) {
  const { label, description, placeholder, values, entryErrors, error, showEntryErrors, onChange, onBlur } =
    props;
  const [search, setSearch] = useState('');
  const messageId = useId();

  const add = (text: string) => {
    const added = text.split(SPLIT).filter((v) => v !== '' && !values.includes(v));
    if (added.length) onChange([...values, ...[...new Set(added)]]);
    setSearch('');
  };
  const remove = (index: number) => onChange(values.filter((_, i) => i !== index));
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if ((event.key === 'Enter' || event.key === ',' || event.key === ';' || event.key === ' ') && search) {
      event.preventDefault();
      add(search);
    } else if (event.key === 'Backspace' && search === '' && values.length) {
      remove(values.length - 1);
    }
  };
  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const text = event.clipboardData.getData('text');
    if (!SPLIT.test(text)) return;
    event.preventDefault();
    add(`${search}${text}`);
  };
  const bad = showEntryErrors
    ? entryErrors.flatMap((message, index) => (message ? [{ index, value: values[index], message }] : []))
    : [];

  return (
    <div>
      <PillsInput
        label={label}
        description={description}
        error={error}
        rightSection={
          values.length > 0 ? (
            <CloseButton size="sm" aria-label="Remove all names" onClick={() => onChange([])} />
          ) : null
        }
        data-testid="csr-sans"
      >
        <Pill.Group>
          {values.map((value, index) => {
            const invalid = showEntryErrors && !!entryErrors[index];
            return (
              <Pill
                key={value}
                withRemoveButton
                onRemove={() => remove(index)}
                removeButtonProps={{ 'aria-label': `Remove ${value}`, 'aria-hidden': false, tabIndex: 0 }}
                data-invalid={invalid || undefined}
                data-testid="san-chip"
                aria-describedby={invalid ? `${messageId}-${index}` : undefined}
                styles={
                  invalid
                    ? {
                        root: {
                          background: 'var(--mantine-color-red-light)',
                          color: 'var(--mantine-color-red-light-color)',
                          outline: '1px solid var(--mantine-color-red-outline)',
                        },
                      }
                    : undefined
                }
              >
                {invalid ? <IconAlertCircle size={12} style={{ marginRight: 4, verticalAlign: -1 }} /> : null}
                {value}
              </Pill>
            );
          })}
          <PillsInput.Field
            value={search}
            placeholder={values.length ? '' : placeholder}
            onChange={(event) => setSearch(event.currentTarget.value)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            aria-invalid={bad.length > 0 || !!error}
            aria-describedby={bad.length > 0 ? `${messageId}-list` : undefined}
            onBlur={() => {
              if (search.trim()) add(search);
              onBlur();
            }}
          />
        </Pill.Group>
      </PillsInput>
      {bad.length > 0 ? (
        <List
          id={`${messageId}-list`}
          size="xs"
          mt={4}
          spacing={2}
          role="alert"
          data-testid="san-errors"
          listStyleType="none"
        >
          {bad.map(({ index, value, message }) => (
            <List.Item key={value} id={`${messageId}-${index}`} data-testid="san-error">
              <Text span size="xs" c="var(--mantine-color-error)">
                <Text span inherit fw={700}>
                  {value}
                </Text>
                : {message}
              </Text>
            </List.Item>
          ))}
        </List>
      ) : null}
    </div>
  );
}
