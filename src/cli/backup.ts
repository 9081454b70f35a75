import 'dotenv/config';
import { DEFAULT_DATABASE_PATH } from '../config-env';
import { backupDatabase, defaultBackupFile } from '../store/backup';

/**
 * `npm run backup [-- destination.db]`: a consistent copy of the bot's database (DATABASE_PATH, from the
 * environment or .env) while the bot runs. Without a destination the copy goes to backups/ next to the
 * database, named by the time in UTC. Prints the file, its size and schema version; exits 1 on failure.
 */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: npm run backup [-- <destination.db>]\nCopies DATABASE_PATH with SQLite\'s online backup while the bot runs.\n');
    return 0;
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
