/**
 * Tests run the TypeScript sources directly through SWC; `npm test` first builds dist/ with tsc (which also
 * type-checks), and the process tests in test/process run that build the way `npm start` does.
 *
 * Two projects, both run by `npm test`:
 * - `sqlite`: every suite, on SQLite (the default store).
 * - `postgres`: the suites that open a database (through test/helpers/db.ts, or a bot that opens one: makeServices,
 *   the scheduler harnesses, spawned `npm start` with botDatabaseEnv), again, against a real PostgreSQL server.
 *   test/helpers/pg-setup.ts creates a throw-away database for the run (each test gets a schema of its own in it), pg-teardown.ts drops it.
 *   Suites that never open a database behave identically on both stores, so they run once, in `sqlite` (NO_DATABASE).
 * Only SQLite, without a PostgreSQL server: `npx jest --selectProjects sqlite`.
 */
const shared = {
  testTimeout: 30000,
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  // The compiled copy of the tests and fakes in dist/ is for spawned processes, never a second test run.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
};

/**
 * Suites that never open a database (checked by tracing every database a sqlite run opens): they behave the same
 * on both stores, so they run once. Every other suite, a new one too, runs on both.
 */
const NO_DATABASE = [
  'catalogue/catalogue.test.ts',
  'catalogue/safe-url.test.ts',
  'chat/console.test.ts',
  'chat/discord-adapter.test.ts',
  'chat/discord-commands.test.ts',
  'chat/discord-fake.test.ts',
  'chat/discord-interaction-signature.test.ts',
  'chat/discord-post.test.ts',
  'chat/discord-render.test.ts',
  'chat/dispatch.test.ts',
  'chat/present/date-tbc.test.ts',
  'chat/present/event.test.ts',
  'chat/slack-manifest.test.ts',
  'chat/slack-post.test.ts',
  'chat/slack-render.test.ts',
  'cli/validate-ci.test.ts',
  'commands/agenda.test.ts',
  'commands/help.test.ts',
  'commands/next-events-subscribe.test.ts',
  'commands/programme.test.ts',
  'commands/real-data.test.ts',
  'commands/removals.test.ts',
  'config.test.ts',
  'feeds/links.test.ts',
  'feeds/render-zones.test.ts',
  'http/server.test.ts',
  'http/webhooks-git.test.ts',
  'log.test.ts',
  'safety/chat-renderers.property.test.ts',
  'schedule/pacer.test.ts',
  'schedule/plan.test.ts',
  'schedule/planner.test.ts',
  'schedule/rules.test.ts',
  'schedule/when.test.ts',
  'sources/agenda-end.test.ts',
  'sources/communities.test.ts',
  'sources/front-matter.test.ts',
  'sources/fuzz.test.ts',
  'sources/git-checkout.test.ts',
  'sources/importers/calendar.test.ts',
  'sources/importers/imports.test.ts',
  'sources/importers/sched.test.ts',
  'sources/importers/schedules.test.ts',
  'sources/load.test.ts',
  'sources/markdown-shapes.test.ts',
  'sources/markdown-tree.test.ts',
  'sources/real-posts.test.ts',
  'sources/rsvp-fields.test.ts',
  'sources/settings.test.ts',
  'sources/sremuc-mistakes.test.ts',
  'sources/validate-cli.test.ts',
  'sources/watch.test.ts',
  'sources/yaml-event.test.ts',
  'sources/yaml-sessions.test.ts',
  'store/backup.test.ts',
  'store/migrate.test.ts',
  'store/secret-box.test.ts',
];

/** Suites about PostgreSQL itself (migrations under the advisory lock, ...): nothing to run on SQLite. */
const POSTGRES_ONLY = ['store/migrate-postgres.test.ts'];

/** A suite as an ignore pattern (a regular expression on the full path). */
const suite = (file) => `<rootDir>/test/${file.replace(/\./g, '\\.')}$`;

module.exports = {
  testTimeout: 30000,
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: 'sqlite',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, ...POSTGRES_ONLY.map(suite)],
    },
    {
      ...shared,
      displayName: 'postgres',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, ...NO_DATABASE.map(suite)],
      globalSetup: '<rootDir>/test/helpers/pg-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/pg-teardown.ts',
      setupFiles: ['<rootDir>/test/helpers/pg-env.ts'],
    },
  ],
};
