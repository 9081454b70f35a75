/**
 * Tests run the TypeScript sources directly through SWC; `npm test` first builds dist/ with tsc (which also
 * type-checks), and the process tests in test/process run that build the way `npm start` does.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The compiled copy of the tests and fakes in dist/ is for spawned processes, never a second test run.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  testTimeout: 30000,
  maxWorkers: 2,
};
