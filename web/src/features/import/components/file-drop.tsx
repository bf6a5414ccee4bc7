import { ActionIcon, Button, Group, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconFileCertificate, IconUpload, IconX } from '@tabler/icons-react';
import { useRef } from 'react';

interface FileDropProps {
  files: File[];
  onChange: (files: File[]) => void;
  title: string;
  hint: string;
  testId: string;
}

/** A drop zone for any mix of files (no accept filter: the server reads the content, not the name). */
export function FileDrop({ files, onChange, title, hint, testId }: FileDropProps) {
  const openRef = useRef<() => void>(null);
  return (
    <Stack gap="xs">
      <Dropzone
        onDrop={(dropped) => onChange([...files, ...dropped])}
        maxSize={1024 * 1024}
        multiple
        openRef={openRef}
        // The zone is a named group for the mouse; keyboard and screen-reader users get a real button inside
        // (react-dropzone would otherwise make the zone itself a focusable role="presentation").
        role="group"
        aria-label={title}
        activateOnKeyboard={false}
        // The plain file input, not showOpenFilePicker: same dialog everywhere, and testable.
        useFsAccessApi={false}
        inputProps={{ 'aria-label': title }}
        data-testid={testId}
      >
        <Group justify="center" gap="lg" mih={90} style={{ pointerEvents: 'none' }}>
          <Dropzone.Idle>
            <IconUpload size={36} stroke={1.5} />
          </Dropzone.Idle>
          <Dropzone.Accept>
            <IconUpload size={36} stroke={1.5} />
          </Dropzone.Accept>
          <Dropzone.Reject>
            <IconX size={36} stroke={1.5} />
          </Dropzone.Reject>
          <div>
            <Text size="md" fw={500}>
              {title}
            </Text>
            <Text size="sm" c="dimmed">
              {hint}
            </Text>
          </div>
          <Button
            variant="default"
            size="xs"
            style={{ pointerEvents: 'all' }}
            onClick={(event) => {
              event.stopPropagation();
              openRef.current?.();
            }}
          >
            Choose files…
          </Button>
        </Group>
      </Dropzone>
      {files.length ? (
        <Stack gap={4} data-testid={`${testId}-list`}>
          {files.map((file, i) => (
            <Group key={`${file.name}-${i}`} gap="xs">
              <IconFileCertificate size={16} />
              <Text size="sm">{file.name}</Text>
              <Text size="xs" c="dimmed">
                {file.size.toLocaleString()} bytes
              </Text>
              <ActionIcon
                size="sm"
                variant="subtle"
                color="gray"
                aria-label={`Remove ${file.name}`}
                onClick={() => onChange(files.filter((_, j) => j !== i))}
              >
                <IconX size={14} />
              </ActionIcon>
            </Group>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
