import { ActionIcon, Button, CopyButton as MantineCopyButton, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

interface CopyButtonProps {
  value: string;
  /** Shown as a labelled button when given; an icon with a tooltip otherwise. */
  label?: string;
}

/** Copy to clipboard with visible confirmation. Needs a secure context (localhost or HTTPS) in most browsers. */
export function CopyButton({ value, label }: CopyButtonProps) {
  return (
    <MantineCopyButton value={value} timeout={2000}>
      {({ copied, copy }) =>
        label ? (
          <Button
            variant="light"
            size="xs"
            color={copied ? 'teal' : 'blue'}
            leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
            onClick={copy}
          >
            {copied ? 'Copied' : label}
          </Button>
        ) : (
          <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow position="left">
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              onClick={copy}
              aria-label={copied ? 'Copied' : 'Copy to clipboard'}
            >
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )
      }
    </MantineCopyButton>
  );
}
