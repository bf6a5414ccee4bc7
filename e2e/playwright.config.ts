import { defineConfig } from '@playwright/test';
import {
  ADMIN_PASSWORD,
  AUTH_STATE,
  BASE_URL,
  CONFIRM_SECONDS,
  DATA_DIR,
  DEPLOY_HOOKS_FILE,
  DEPLOY_ROOT,
  FIRST_RUN_BASE_URL,
  FIRST_RUN_DATA_DIR,
  FIRST_RUN_HTTP_PORT,
  FIRST_RUN_HTTPS_PORT,
  HOST,
  HTTP_PORT,
  HTTPS_PORT,
  WEB_DIST,
} from './support/env.js';

/**
 * End-to-end tests against the BUILT server (`npm run build` first): the same files an administrator runs.
 * One worker: the tests share one server and one database, and some change server-wide state (HTTPS mode).
 */
const serverCommand = 'node ../server/dist/server.js';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: BASE_URL,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    actionTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    },
  },
  projects: [
    { name: 'setup', testDir: './support', testMatch: /auth\.setup\.ts$/ },
    {
      name: 'chromium',
      dependencies: ['setup'],
      use: { storageState: AUTH_STATE },
    },
  ],
  webServer: [
    {
      name: 'certdesk',
      command: serverCommand,
      cwd: import.meta.dirname,
      url: `${BASE_URL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        CERTDESK_DATA_DIR: DATA_DIR,
        CERTDESK_HOST: HOST,
        CERTDESK_WEB_DIST: WEB_DIST,
        CERTDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
        CERTDESK_HTTP_PORT: String(HTTP_PORT),
        CERTDESK_HTTPS_PORT: String(HTTPS_PORT),
        CERTDESK_HTTPS_CONFIRM_SECONDS: String(CONFIRM_SECONDS),
        CERTDESK_DEPLOY_ROOTS: DEPLOY_ROOT,
        CERTDESK_DEPLOY_HOOKS: DEPLOY_HOOKS_FILE,
      },
    },
    {
      // No admin password: this server starts in first-run mode and writes <dataDir>/setup-token.
      name: 'certdesk-first-run',
      command: serverCommand,
      cwd: import.meta.dirname,
      url: `${FIRST_RUN_BASE_URL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        CERTDESK_DATA_DIR: FIRST_RUN_DATA_DIR,
        CERTDESK_HOST: HOST,
        CERTDESK_WEB_DIST: WEB_DIST,
        CERTDESK_ADMIN_PASSWORD: '',
        CERTDESK_HTTP_PORT: String(FIRST_RUN_HTTP_PORT),
        CERTDESK_HTTPS_PORT: String(FIRST_RUN_HTTPS_PORT),
        CERTDESK_HTTPS_CONFIRM_SECONDS: String(CONFIRM_SECONDS),
      },
    },
  ],
});
