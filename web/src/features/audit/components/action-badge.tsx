import { Badge } from '@mantine/core';

/** Colour by what happened, so failures and deletions stand out when scanning the log. */
function colorFor(action: string): string {
  if (/fail|denied|reject|error/.test(action)) return 'red';
  if (/delete|remove|revert|revoke|reset/.test(action)) return 'orange';
  if (/create|import|add|generate/.test(action)) return 'teal';
  if (/export|download|key/.test(action)) return 'violet';
  if (/settings|confirm|apply|bind/.test(action)) return 'blue';
  return 'gray';
}

export function ActionBadge({ action }: { action: string }) {
  return (
    <Badge
      variant="light"
      color={colorFor(action)}
      radius="sm"
      tt="none"
      ff="monospace"
      fw={500}
      // Never cut an action name short: the column grows instead.
      styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
    >
      {action}
    </Badge>
  );
}
