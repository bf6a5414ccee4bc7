import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { showHiddenCharacters } from '../lib/format.js';

/** A two-column "name: value" table, as `openssl … -text` lists fields. */
export function FieldRows({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <Table withRowBorders={false} verticalSpacing={4}>
      <Table.Tbody>
        {rows.map(([k, v], i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list per render; names can repeat (two OUs)
          <Table.Tr key={`${k}-${i}`}>
            <Table.Td w={200} style={{ verticalAlign: 'top' }}>
              <Text size="sm" c="dimmed">
                {k}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
                {typeof v === 'string' ? showHiddenCharacters(v) : v}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
