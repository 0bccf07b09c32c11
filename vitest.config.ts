import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/e2e/**'],
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
          // One test file per core. Vitest's default (cores - 1) leaves a core for its own process,
          // which is idle once the files are transformed: on CI's two cores that was one file at
          // a time. Each file has its own database (a copy of the template), so files may overlap.
          maxWorkers: '100%',
          // A worker imports the app once and runs file after file in it, instead of a fresh process
          // (and a fresh import of the whole app) per file: about a third less CPU per file. Each
          // file still gets its own database and app (tests/helpers); nothing in src/ keeps
          // per-request state in modules, and tests restore what they change (env, fake timers).
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/helpers/global-setup.ts'],
          testTimeout: 60_000,
          // What a page shows is polled for up to 10 s, not Vitest's 1 s: in CI a browser file shares
          // two cores with another file, Chromium and the production-build check, and a login page
          // once took longer than 1 s to show its heading (sign-in-provider, 2026-12-05). A state
          // that never comes still fails, 10 s later.
          expect: { poll: { timeout: 10_000 } },
          // A file's server start is inside its hook (tests/e2e/helpers/server.ts allows 170 s).
          hookTimeout: 180_000,
          // Two browser files at a time: each has its own server, embedded database and Chromium
          // (tests/e2e/helpers), and much of a browser test is waiting on the other process.
          maxWorkers: 2,
          // After the unit files when both projects run at once (another maxWorkers needs its own group).
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
