import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * The inventory on a 1024-pixel screen (issue 14, item 9): every column visible without scrolling
 * sideways, and long host names wrapped between labels, never inside one.
 */

const pki = new TestPki();
const stamp = Date.now();
const longCn = `certificate-renewal-${stamp}.apps.example.test`;
let root: Issued;

test.beforeAll(() => {
  root = pki.root(`Layout Root ${stamp}`, { key: 'rsa2048' });
});
test.afterAll(() => pki.cleanup());

async function seed(page: Page): Promise<void> {
  const api = await apiAs(page);
  const headers = { 'x-csrf-token': api.csrfToken };
  const anchor = new FormData();
  anchor.append('file', new Blob([new Uint8Array(root.certDer)]), 'root.cer');
  const a = await api.request.post('/api/trust-anchors', { headers, multipart: anchor });
  expect([201, 409], await a.text()).toContain(a.status());
  // The widest cells: a long name, and "Expires in 10 days" rather than "89 days left".
  for (const [cn, endDays] of [
    [longCn, 90],
    [`soon${stamp}.example.test`, 10],
  ] as const) {
    const leaf = pki.leaf(cn, root, {
      key: 'ec256',
      endDays,
      sans: [`DNS:${cn}`, `DNS:www.${cn}`, 'IP:10.0.0.7'],
    });
    const files = new FormData();
    files.append('file', new Blob([leaf.certPem]), 'server.crt');
    files.append('file', new Blob([leaf.keyPem]), 'server.key');
    const res = await api.request.post('/api/certificates', { headers, multipart: files });
    expect(res.status(), await res.text()).toBe(201);
  }
}

/** Where the browser broke the link's text into lines: the characters just before each break. */
const LINE_BREAKS = `(() => {
  const link = document.querySelector('[data-testid="certificate-row"] a[data-cn]');
  const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
  const chars = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      chars.push({ ch: node.data[i], top: Math.round(range.getBoundingClientRect().top) });
    }
  }
  const before = [];
  for (let i = 1; i < chars.length; i++) if (chars[i].top > chars[i - 1].top) before.push(chars[i - 1].ch);
  return before;
})()`;

test('at 1024 px the inventory fits: status and thumbprint on screen, host names break at dots', async ({
  page,
}) => {
  await seed(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(`/certificates?q=${stamp}`);
  const table = page.getByTestId('certificates-table');
  await expect(page.getByTestId('certificate-row')).toHaveCount(2);

  // No sideways scrolling, neither of the page nor of the table's own scroll area.
  const overflow = await table.evaluate((el) => [
    el.scrollWidth - el.clientWidth,
    (el.parentElement?.scrollWidth ?? 0) - (el.parentElement?.clientWidth ?? 0),
  ]);
  expect(Math.max(...overflow), 'the table is wider than its container').toBeLessThanOrEqual(1);
  const tableBox = await table.boundingBox();
  expect((tableBox?.x ?? 0) + (tableBox?.width ?? 0)).toBeLessThanOrEqual(1024);
  for (const header of ['Status', 'SHA-1 thumbprint']) {
    const box = await table.getByRole('columnheader', { name: header }).boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0), `${header} is on screen`).toBeLessThanOrEqual(1024);
  }
  await shot(page, 'inventory-1024');

  // The long name wraps, and only after a dot (or a hyphen), never inside a label.
  await page.getByTestId('certificate-search').fill(longCn);
  await expect(page.getByTestId('certificate-row')).toHaveCount(1);
  const breaks = (await page.evaluate(LINE_BREAKS)) as string[];
  expect(breaks.length, 'the long name takes more than one line').toBeGreaterThan(0);
  for (const ch of breaks) expect(['.', '-']).toContain(ch);
});
