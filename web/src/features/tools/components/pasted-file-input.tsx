import { Button, FileButton, Group, Text, Textarea } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { readFileForApi } from '../lib/read-file.js';

interface Props {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  accept?: string;
  testId?: string;
}

/** Paste the PEM, or pick a file (PEM or DER). */
export function PastedFileInput({ label, placeholder, value, onChange, accept, testId }: Props) {
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  return (
    <div>
      <Textarea
        label={label}
        placeholder={placeholder}
        autosize
        minRows={6}
        maxRows={16}
        value={value}
        error={fileError}
        onChange={(e) => {
          setFileName(null);
          setFileError(null);
          onChange(e.currentTarget.value);
        }}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        data-testid={testId}
      />
      <Group gap="xs" mt={6}>
        <FileButton
          accept={accept}
          onChange={(file) => {
            if (!file) return;
            readFileForApi(file)
              .then((text) => {
                setFileError(null);
                setFileName(file.name);
                onChange(text);
              })
              .catch((err: Error) => setFileError(err.message));
          }}
        >
          {(props) => (
            <Button {...props} variant="default" size="xs" leftSection={<IconUpload size={14} />}>
              Open a file…
            </Button>
          )}
        </FileButton>
        {fileName ? (
          <Text size="xs" c="dimmed">
            Read {fileName}
          </Text>
        ) : null}
      </Group>
    </div>
  );
}
