import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { RULES_FILE } from '../schedule/rules';
import { loadAnnouncementRules } from '../schedule/rules-file';
import { catalogueJson } from '../sources/catalogue-json';
import { countBySeverity, formatDiagnostic, type Diagnostic } from '../sources/diagnostics';
import { EVENTS_DIR, loadData } from '../sources/load';
import { githubAnnotation } from './annotations';

const USAGE = `Usage: npm run validate [dir] [--events <dir>] [--settings <file or dir>] [--timezone <IANA zone>] [--format text|github|json] [--json]
Checks the events, settings.yml and announcements.yml the way the bot reads them, and prints problems as
file:line: severity: message (--format github: GitHub Actions annotations on the files; --json: the catalogue as
JSON on stdout, the problems on stderr). Exits 1 on errors.
  dir          the data folder (settings.yml, announcements.yml, events/), or a website repository with --events
  --events     the posts' folder: inside dir (e.g. content/events of a Hugo site, named so in the problems) or any folder
  --settings   a settings file (a community profile), or a folder with settings.yml and announcements.yml used
               when dir has none (e.g. the bot's data/)
`;

/**
 * `npm run validate`: checks the community's data the way the bot reads it, as a CI step in the website's
 * repository too. A broken announcements.yml is errors with their lines, never "0 errors".
 */
function main(argv: string[]): number {
  const args = readArgs(argv);
  if (args.help || args.problem) {
    process.stdout.write(`${args.problem ? `${args.problem}\n` : ''}${USAGE}`);
    return args.problem ? 2 : 0;
  }
  const settingsIsDir = args.settings !== undefined && isDir(args.settings);
  const from = (file: string) => (settingsIsDir && !existsSync(path.join(args.dataDir, file)) ? args.settings! : args.dataDir);
  const result = loadData(args.dataDir, {
    timeZone: args.timeZone,
    events: args.events ? eventsFolder(args.dataDir, args.events) : undefined,
    settingsDir: from('settings.yml'),
    settingsFile: args.settings !== undefined && !settingsIsDir ? args.settings : undefined,
  });
  const rulesFile = path.join(from(RULES_FILE), RULES_FILE);
  const rules = existsSync(rulesFile) ? loadAnnouncementRules(rulesFile, RULES_FILE) : undefined;
  const diagnostics: Diagnostic[] = [...result.diagnostics, ...(rules?.diagnostics ?? [])];
  const counts = countBySeverity(diagnostics);
  if (args.format === 'json') {
    for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stdout.write(`${JSON.stringify(catalogueJson(result.catalogue.events, result.settings.timeZone), null, 2)}\n`);
    return counts.error > 0 ? 1 : 0;
  }
  for (const d of diagnostics) process.stdout.write(`${args.format === 'github' ? githubAnnotation(d) : formatDiagnostic(d)}\n`);

  const { catalogue, settings } = result;
  const now = DateTime.now().setZone(settings.timeZone);
  const next = catalogue.next(now);
  const cancelled = catalogue.events.filter((e) => e.status === 'cancelled').length;
  // A data file's events are keyed "<file>#<id>": it is one file however many meetups it lists.
  const fileCount = new Set([...result.files.keys()].map((k) => k.replace(/#.*$/, ''))).size;
  const lines = [
    `${catalogue.events.length} event${catalogue.events.length === 1 ? '' : 's'} from ${fileCount} file${fileCount === 1 ? '' : 's'} in ${args.dataDir}${cancelled ? ` (${cancelled} cancelled)` : ''}, ${catalogue.upcoming(now).length} upcoming`,
    rulesLine(rules),
    next ? `next meetup: ${next.start.setZone(settings.timeZone).toFormat("ccc d LLL yyyy HH:mm ZZZZ")} ${next.title} (${next.id})` : 'next meetup: none scheduled',
    `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  return counts.error > 0 ? 1 : 0;
}

/** A folder inside dir is named by its path there (content/events/x.md, as CI annotations need); another as events/. */
function eventsFolder(dataDir: string, events: string): { dir: string; prefix: string } {
  const inside = path.join(dataDir, events);
  if (!path.isAbsolute(events) && existsSync(inside)) return { dir: inside, prefix: path.relative(dataDir, inside).split(path.sep).join('/') };
  return { dir: events, prefix: EVENTS_DIR };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** "announcements.yml: 4 rules". A broken rules file counts among the errors above, never as "0 errors". */
function rulesLine(loaded: ReturnType<typeof loadAnnouncementRules> | undefined): string {
  if (!loaded) return `${RULES_FILE}: none (no automatic announcements or reminders)`;
  if (!loaded.rules) return `${RULES_FILE}: not loadable (a running bot keeps its last good rules)`;
  const n = loaded.rules.rules.length;
  return `${RULES_FILE}: ${n} rule${n === 1 ? '' : 's'}`;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  timezone: { type: 'string' },
  tz: { type: 'string' },
  events: { type: 'string' },
  settings: { type: 'string' },
} as const;

/** How results are printed: text for people (the default), github annotations for CI, json for tools. */
const FORMATS = ['text', 'github', 'json'] as const;

/** Not strict, so that an unknown option or a bad format is named in our words, above the usage. */
function readArgs(argv: string[]) {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const text = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined);
  const unknown = tokens.find((t) => t.kind === 'option' && !Object.hasOwn(OPTIONS, t.name));
  const known = FORMATS.find((f) => f === (values.format ?? 'text'));
  return {
    dataDir: positionals[0] ?? 'data',
    events: text(values.events)?.replace(/\/+$/, ''),
    settings: text(values.settings),
    timeZone: text(values.timezone) ?? text(values.tz),
    format: values.json ? 'json' : (known ?? 'text'),
    help: values.help === true,
    problem:
      unknown?.kind === 'option' ? `Unknown option ${unknown.rawName}` : known ? undefined : `--format must be text, github or json, not "${text(values.format) ?? ''}"`,
  };
}

process.exitCode = main(process.argv.slice(2));
