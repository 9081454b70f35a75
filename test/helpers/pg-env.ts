/** Set-up file of the postgres project: its tests run against the run's throw-away database (pg-setup.ts). */
process.env.SREMUC_TEST_DATABASE_URL = process.env.SREMUC_PG_RUN_URL;
