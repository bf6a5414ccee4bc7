import path from 'node:path';
import type { Page } from '@playwright/test';

export const SCREENSHOT_DIR = path.join(import.meta.dirname, '..', 'screenshots');

/**
 * A full-page screenshot in e2e/screenshots/<name>.png, for a person to look at (not compared by pixels).
 * Waits for fonts and for loaders to finish so the picture shows the page, not a spinner.
 */
export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.evaluate('document.fonts.ready');
  await page
    .getByRole('status')
    .filter({ hasText: /Loading|Checking/ })
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  return file;
}
