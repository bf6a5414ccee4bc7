import { Tabs } from '@mantine/core';
import {
  IconArrowsExchange,
  IconFileSearch,
  IconFileText,
  IconFlask,
  IconLockOpen,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header.js';
import { useCan } from '../../../lib/permissions.js';
import { ConvertTool } from './convert-tool.js';
import { DecodeCsrTool } from './decode-csr-tool.js';
import { DecodeFileTool } from './decode-file-tool.js';
import { DecryptKeyTool } from './decrypt-key-tool.js';
import { TestCertificateTool } from './test-certificate-tool.js';

/** One entry per tool: add a line here (and its component) to add a tool. `?tool=` selects one. */
const TOOLS: Array<{
  value: string;
  label: string;
  icon: ReactNode;
  element: ReactNode;
  /** The answer is a private key: only for roles with key export. */
  keyExport?: boolean;
}> = [
  {
    value: 'decode-csr',
    label: 'Decode CSR',
    icon: <IconFileSearch size={16} />,
    element: <DecodeCsrTool />,
  },
  {
    value: 'decrypt-key',
    label: 'Decrypt private key',
    icon: <IconLockOpen size={16} />,
    element: <DecryptKeyTool />,
    keyExport: true,
  },
  {
    value: 'decode',
    label: 'Decode any file',
    icon: <IconFileText size={16} />,
    element: <DecodeFileTool />,
  },
  { value: 'convert', label: 'Convert', icon: <IconArrowsExchange size={16} />, element: <ConvertTool /> },
  {
    value: 'test-certificate',
    label: 'Lab test certificate',
    icon: <IconFlask size={16} />,
    element: <TestCertificateTool />,
  },
];

/** /tools — stand-alone helpers; nothing here stores anything. */
export function ToolsPage() {
  const [params, setParams] = useSearchParams();
  const canExportKeys = useCan('keys:export');
  const tools = TOOLS.filter((t) => canExportKeys || !t.keyExport);
  const current = tools.some((t) => t.value === params.get('tool'))
    ? (params.get('tool') as string)
    : tools[0]!.value;
  return (
    <>
      <PageHeader
        title="Tools"
        description="Look inside certificate files and convert them. Nothing you paste here is stored."
      />
      <Tabs
        value={current}
        onChange={(v) => v && setParams({ tool: v }, { replace: true })}
        keepMounted={false}
        variant="outline"
      >
        <Tabs.List mb="md">
          {tools.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={t.icon}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tools.map((t) => (
          <Tabs.Panel key={t.value} value={t.value}>
            {t.element}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
