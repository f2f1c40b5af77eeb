import { defineConfig } from '@playwright/test';

/**
 * The desktop shell through Playwright's `_electron` (tests/electron), kept apart from the
 * Chromium e2e config. Each spec skips itself with a one-line reason where no Electron binary is
 * installed (this machine). Needs `npm run build`; on Linux CI run under xvfb-run.
 */
export default defineConfig({
  testDir: 'tests/electron',
  outputDir: 'test-results/electron',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  globalSetup: './tests/electron/global-setup.ts',
});
