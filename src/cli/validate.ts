import { DateTime } from 'luxon';
import { countBySeverity, formatDiagnostic } from '../sources/diagnostics';
import { catalogueJson } from '../sources/catalogue-json';
import { loadData } from '../sources/load';

/**
 * `npm run validate [dataDir] [--timezone Europe/Berlin] [--json]`: checks the community's data the way the bot
 * reads it. Prints every problem as `file:line: severity: message`, then a summary; exits 1 when there are errors,
 * so CI can block a broken post before it is published. With `--json` the catalogue goes to stdout as JSON
 * (src/sources/catalogue-json.ts) and the problems to stderr.
 */
function main(argv: string[]): number {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write('Usage: npm run validate [dataDir] [--timezone <IANA zone>] [--json] [--settings <file>] [--events <dir>]\nChecks data/settings.yml and data/events/* and prints problems as file:line: severity: message.\n--json prints the catalogue it read as JSON on stdout and the problems on stderr.\n');
    return 0;
  }
  const result = loadData(args.dataDir, { timeZone: args.timeZone, settingsFile: args.settingsFile, eventsDir: args.eventsDir });
  const counts = countBySeverity(result.diagnostics);
  if (args.format === 'json') {
    for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stdout.write(`${JSON.stringify(catalogueJson(result.catalogue.events, result.settings.timeZone), null, 2)}\n`);
    return counts.error > 0 ? 1 : 0;
  }
  for (const d of result.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);

  const { catalogue, settings } = result;
  const now = DateTime.now().setZone(settings.timeZone);
  const next = catalogue.next(now);
  const cancelled = catalogue.events.filter((e) => e.status === 'cancelled').length;
  const lines = [
    `${catalogue.events.length} event${catalogue.events.length === 1 ? '' : 's'} from ${result.files.size} file${result.files.size === 1 ? '' : 's'} in ${args.dataDir}${cancelled ? ` (${cancelled} cancelled)` : ''}, ${catalogue.upcoming(now).length} upcoming`,
    next ? `next meetup: ${next.start.setZone(settings.timeZone).toFormat("ccc d LLL yyyy HH:mm ZZZZ")} ${next.title} (${next.id})` : 'next meetup: none scheduled',
    `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  return counts.error > 0 ? 1 : 0;
}

/** How results are printed: text for people (the default), json for tools; further formats add a value here. */
type Format = 'text' | 'json';

function parseArgs(argv: string[]): { dataDir: string; timeZone?: string; help: boolean; format: Format; settingsFile?: string; eventsDir?: string } {
  let dataDir: string | undefined;
  let settingsFile: string | undefined;
  let eventsDir: string | undefined;
  let timeZone: string | undefined;
  let help = false;
  let format: Format = 'text';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--json') format = 'json';
    else if (arg === '--settings') settingsFile = argv[++i];
    else if (arg === '--events') eventsDir = argv[++i];
    else if (arg === '--timezone' || arg === '--tz') timeZone = argv[++i];
    else if (arg.startsWith('--timezone=')) timeZone = arg.slice('--timezone='.length);
    else dataDir ??= arg;
  }
  return { dataDir: dataDir ?? 'data', timeZone, help, format, settingsFile, eventsDir };
}

process.exitCode = main(process.argv.slice(2));
