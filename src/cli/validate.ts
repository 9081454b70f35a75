import { existsSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { loadAnnouncementRules, RULES_FILE } from '../schedule/rules';
import { countBySeverity, formatDiagnostic, type Diagnostic } from '../sources/diagnostics';
import { loadData } from '../sources/load';
import { githubAnnotation } from './annotations';

const USAGE = `Usage: npm run validate [dir] [--events <path>] [--settings <dir>] [--timezone <IANA zone>] [--format text|github]
Checks the events, settings.yml and announcements.yml the way the bot reads them, and prints problems as
file:line: severity: message (--format github: as GitHub Actions annotations on the files). Exits 1 on errors.
  dir          the data folder (settings.yml, announcements.yml, events/), or a website repository with --events
  --events     the posts' folder inside dir, e.g. content/events (a Hugo site); default: events
  --settings   where settings.yml and announcements.yml are when dir has none (e.g. the bot's data/)
`;

/**
 * `npm run validate [dataDir] [--timezone Europe/Berlin]`: checks the community's data the way the bot reads it.
 * Prints every problem as `file:line: severity: message`, then a summary; exits 1 when there are errors,
 * so CI can block a broken post before it is published.
 */
function main(argv: string[]): number {
  const args = parseArgs(argv);
  if (args.help || args.problem) {
    process.stdout.write(`${args.problem ? `${args.problem}\n` : ''}${USAGE}`);
    return args.problem ? 2 : 0;
  }
  const from = (file: string) => (args.settingsDir && !existsSync(path.join(args.dataDir, file)) ? args.settingsDir : args.dataDir);
  const result = loadData(args.dataDir, {
    timeZone: args.timeZone,
    events: args.eventsPath ? { dir: path.join(args.dataDir, args.eventsPath), prefix: args.eventsPath } : undefined,
    settingsDir: from('settings.yml'),
  });
  const rulesFile = path.join(from(RULES_FILE), RULES_FILE);
  const rules = existsSync(rulesFile) ? loadAnnouncementRules(rulesFile, RULES_FILE) : undefined;
  const diagnostics: Diagnostic[] = [...result.diagnostics, ...(rules?.diagnostics ?? [])];
  for (const d of diagnostics) process.stdout.write(`${args.format === 'github' ? githubAnnotation(d) : formatDiagnostic(d)}\n`);

  const counts = countBySeverity(diagnostics);
  const { catalogue, settings } = result;
  const now = DateTime.now().setZone(settings.timeZone);
  const next = catalogue.next(now);
  const cancelled = catalogue.events.filter((e) => e.status === 'cancelled').length;
  const lines = [
    `${catalogue.events.length} event${catalogue.events.length === 1 ? '' : 's'} from ${result.files.size} file${result.files.size === 1 ? '' : 's'} in ${args.dataDir}${cancelled ? ` (${cancelled} cancelled)` : ''}, ${catalogue.upcoming(now).length} upcoming`,
    rulesLine(rules),
    next ? `next meetup: ${next.start.setZone(settings.timeZone).toFormat("ccc d LLL yyyy HH:mm ZZZZ")} ${next.title} (${next.id})` : 'next meetup: none scheduled',
    `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  return counts.error > 0 ? 1 : 0;
}

/** "announcements.yml: 4 rules". A broken rules file counts among the errors above, never as "0 errors". */
function rulesLine(loaded: ReturnType<typeof loadAnnouncementRules> | undefined): string {
  if (!loaded) return `${RULES_FILE}: none (no automatic announcements or reminders)`;
  if (!loaded.rules) return `${RULES_FILE}: not loadable (a running bot keeps its last good rules)`;
  const n = loaded.rules.rules.length;
  return `${RULES_FILE}: ${n} rule${n === 1 ? '' : 's'}`;
}

interface Args {
  dataDir: string;
  eventsPath?: string;
  settingsDir?: string;
  timeZone?: string;
  format: 'text' | 'github';
  help: boolean;
  problem?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dataDir: '', format: 'text', help: false };
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.startsWith('--') && argv[i]!.includes('=') ? (argv[i]!.split(/=(.*)/s) as [string, string]) : [argv[i]!, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--timezone' || flag === '--tz') args.timeZone = value();
    else if (flag === '--events') args.eventsPath = value()?.replace(/^\/+|\/+$/g, '');
    else if (flag === '--settings') args.settingsDir = value();
    else if (flag === '--format') {
      const format = value();
      if (format === 'text' || format === 'github') args.format = format;
      else args.problem = `--format must be text or github, not "${format ?? ''}"`;
    } else if (flag.startsWith('--')) args.problem = `Unknown option ${flag}`;
    else dataDir ??= flag;
  }
  return { ...args, dataDir: dataDir ?? 'data' };
}

process.exitCode = main(process.argv.slice(2));
