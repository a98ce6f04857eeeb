/**
 * Stand-alone jest config for libs/routing (same settings as the root `unit` project), usable
 * while the root config's other projects are not runnable: `npx jest -c libs/routing/jest.config.js`.
 */
const path = require('path');

const root = path.resolve(__dirname, '../..');

module.exports = {
  rootDir: root,
  displayName: 'routing',
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: path.join(root, 'tsconfig.json') }] },
  moduleNameMapper: { '^@cad/routing$': '<rootDir>/libs/routing/src/index.ts' },
  testMatch: ['<rootDir>/libs/routing/src/**/*.spec.ts'],
};
