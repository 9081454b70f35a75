import 'dotenv/config';
import { DEFAULT_DATABASE_PATH } from '../config-env';
import { backupDatabase, defaultBackupFile } from '../store/backup';
import { redact } from '../store/open';

/**
 * `npm run backup [-- destination.db]`: a consistent copy of the bot's database (DATABASE_PATH, from the
 * environment or .env) while the bot runs. Without a destination the copy goes to backups/ next to the
 * database, named by the time in UTC. Prints the file, its size and schema version; exits 1 on failure.
 * With DATABASE_URL (PostgreSQL) the server's own tool does it: it says how, and copies nothing.
 */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'Usage: npm run backup [-- <destination.db>]\nCopies DATABASE_PATH with SQLite\'s online backup while the bot runs.\n' +
        'With DATABASE_URL (PostgreSQL), use pg_dump instead.\n',
    );
    return 0;
  }
  if (process.env.DATABASE_URL) {
    process.stderr.write(
      `DATABASE_URL is set: the store is PostgreSQL, which this command does not copy. Back it up with PostgreSQL's own tool while the bot runs, e.g.\n` +
        `  pg_dump --format=custom --file=sremuc-$(date -u +%Y%m%dT%H%M%SZ).dump '${redact(process.env.DATABASE_URL)}'\n` +
        `(give the password through PGPASSWORD or ~/.pgpass) and restore with pg_restore --clean --dbname=<url> <file>.\n`,
    );
    return 1;
  }
  const source = process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
  const destination = argv[0] ?? defaultBackupFile(source);
  const result = await backupDatabase(source, destination);
  process.stdout.write(`backed up ${source} to ${result.file} (${result.bytes} bytes, schema version ${result.schemaVersion})\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
