/** Jest projects: `unit` (libs, no services), `integration` (API on real Postgres + Redis), `e2e` (HTTP, socket.io, Chromium). */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
};

module.exports = {
  // Integration and e2e tests boot the API on real Postgres and Redis; per-project values are ignored by jest.
  testTimeout: 90000,
  // A worker whose heap is above this after a spec file is replaced by a fresh one before the next: each
  // integration spec boots an API with the city's road graph, and a worker that ran well over a hundred
  // of them crashed out of memory in CI.
  workerIdleMemoryLimit: '1536MB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/console/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/apps/api/**/*.spec.ts', '<rootDir>/db/**/*.spec.ts'],
      globalSetup: '<rootDir>/apps/api/src/testing/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/src/testing/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/apps/api/src/testing/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/src/testing/global-teardown.ts',
    },
  ],
};
