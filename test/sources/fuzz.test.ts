import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readPost, type ParsedFile } from '../../src/sources/markdown';
import { parseSettingsText } from '../../src/sources/settings';
import { readYamlEvent } from '../../src/sources/yaml-event';
import { makeSettings } from '../helpers/events';
import { REAL_DATA } from './temp-data';
import { prng } from '../helpers/prng';
import { readDataFile } from '../../src/sources/data-file';
import { loadSettings } from '../../src/sources/settings';
import { stripShortcodes } from '../../src/sources/shortcodes';
import { readHtmlBlock } from '../../src/sources/html-block';
import type { CommunitySettings } from '../../src/catalogue/settings';

/** Other communities' real files with their profiles: TOML and YAML front matter, shortcodes, HTML cards, data files, a Bard body. */
const OTHER = process.env.EVENTS_OTHER ?? '/work/shared/events-other';
const PROFILES = path.join(__dirname, '..', 'fixtures', 'profiles');
const COMMUNITIES = readdirSync(PROFILES).map((f) => f.replace(/\.yml$/, '')).sort();
function communityFiles(name: string): { settings: CommunitySettings; files: { name: string; bytes: Buffer }[] } {
  const loaded = loadSettings(PROFILES, { path: path.join(PROFILES, `${name}.yml`) });
  const dir = path.join(OTHER, name);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(?:md|ya?ml|toml|json)$/.test(f) && !f.includes('/'))
    .sort()
    .map((f) => ({ name: `${name}/${f}`, bytes: readFileSync(path.join(dir, f)) }));
  return { settings: loaded.settings, files };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20240710);
const settings = makeSettings();
const POSTS = readdirSync(path.join(REAL_DATA, 'events')).map((f) => ({ name: f, bytes: readFileSync(path.join(REAL_DATA, 'events', f)) }));
const YAML_EXAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'sources', 'sremuc-2025-04-example.yml'));
const SETTINGS = readFileSync(path.join(REAL_DATA, 'settings.yml'));

/**
 * Parses and checks the contract: no throw, an event or an error/draft, diagnostics well-formed. The reader is
 * called without parseMarkdownEvent's safety net, so a crash inside it fails here instead of passing as an
 * "error diagnostic".
 */
function checkMarkdown(text: string, label: string): ParsedFile {
  let result: ParsedFile;
  try {
    result = readPost(text, { file: 'events/fuzz.md', settings });
  } catch (error) {
    throw new Error(`${label}: threw ${String(error)}`);
  }
  checkDiagnostics(result, label);
  if (!result.event && !result.draft && !result.diagnostics.some((d) => d.severity === 'error')) throw new Error(`${label}: no event and no error`);
  if (result.event) {
    const e = result.event;
    if (!e.start.isValid || !e.end.isValid || e.end <= e.start) throw new Error(`${label}: invalid times ${e.start.toISO()} - ${e.end.toISO()}`);
    for (const a of e.agenda) if (a.talkIndex !== undefined && !e.talks[a.talkIndex]) throw new Error(`${label}: dangling talkIndex`);
  }
  return result;
}

function checkDiagnostics(result: ParsedFile, label: string): void {
  for (const d of result.diagnostics) {
    if (!d.message || !['error', 'warning', 'info'].includes(d.severity) || (d.line !== undefined && !(Number.isInteger(d.line) && d.line >= 1))) {
      throw new Error(`${label}: malformed diagnostic ${JSON.stringify(d)}`);
    }
  }
}

describe(`fuzzing the readers with real files (seed ${SEED}; set FUZZ_SEED to replay)`, () => {
  it('truncating every post at every 97th byte never throws', () => {
    let events = 0;
    for (const { name, bytes } of POSTS) {
      for (let cut = 0; cut < bytes.length; cut += 97) {
        if (checkMarkdown(bytes.subarray(0, cut).toString('utf8'), `${name} cut at ${cut}`).event) events++;
      }
    }
    // Most cuts past the front matter still give an event: the reader degrades, it does not give up.
    expect(events).toBeGreaterThan(300);
  });

  it('random byte flips, insertions and deletions only produce diagnostics', () => {
    const random = prng(SEED);
    for (const { name, bytes } of POSTS) {
      for (let round = 0; round < 40; round++) {
        const mutated = Buffer.from(bytes);
        const edits = 1 + Math.floor(random() * 8);
        let text = mutated;
        for (let i = 0; i < edits; i++) {
          const at = Math.floor(random() * text.length);
          const kind = random();
          if (kind < 0.5) text[at] = Math.floor(random() * 256);
          else if (kind < 0.75) text = Buffer.concat([text.subarray(0, at), Buffer.from([Math.floor(random() * 256)]), text.subarray(at)]);
          else text = Buffer.concat([text.subarray(0, at), text.subarray(at + 1 + Math.floor(random() * 40))]);
        }
        checkMarkdown(text.toString('utf8'), `${name} round ${round}`);
      }
    }
  });

  it('broken front matter in many ways is an error diagnostic with a line, never a throw', () => {
    const text = POSTS[0]!.bytes.toString('utf8');
    const variants = [
      text.replace(/\n---\n/, '\n'),
      text.replace('title:', '\ttitle:'),
      text.replace('draft: false', 'draft: false\ndraft: true'),
      text.replace('draft: false', 'draft: maybe'),
      text.replace('title: "SRE Munich at Sixt 2022"', 'title: [a, b'),
      text.replace('title: "SRE Munich at Sixt 2022"', 'title: {a: 1}'),
      text.replace('title: "SRE Munich at Sixt 2022"', 'title: &a [*a]'),
      text.replace('---\n', '---\n- just\n- a list\n'),
      text.replace('date: 2022-10-13T18:30:00+02:00', 'date: 2022-13-45'),
      text.replace('---\n', '---\n"unterminated\n'),
      text.replace('draft: false', 'draft: *missing'),
      text.replace('draft: false', 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'),
      '---\n' + 'key: value\n'.repeat(2000) + '---\n',
    ];
    variants.forEach((variant, i) => {
      const result = checkMarkdown(variant, `front matter variant ${i}`);
      expect(result.diagnostics.length).toBeGreaterThan(0);
      for (const d of result.diagnostics.filter((x) => x.severity === 'error')) expect(d.line).toBeGreaterThanOrEqual(1);
    });
  });

  it('binary junk, with and without a valid front matter, never throws', () => {
    const random = prng(SEED + 1);
    for (let round = 0; round < 30; round++) {
      const junk = Buffer.from(Array.from({ length: 256 + Math.floor(random() * 4096) }, () => Math.floor(random() * 256)));
      checkMarkdown(junk.toString('utf8'), `junk ${round}`);
      checkMarkdown(`---\ntitle: T\neventDate: 2025-04-14\n---\n${junk.toString('latin1')}`, `junk body ${round}`);
      checkYaml(junk.toString('utf8'), `yaml junk ${round}`);
    }
  });

  it('huge lines and huge files are read or refused, never hang or throw', () => {
    const base = POSTS.find((p) => p.name.includes('summer-event-2024'))!.bytes.toString('utf8');
    const huge = 'x'.repeat(300_000);
    const cases = [
      base.replace('## Agenda', `## Agenda\n* 18:00 ${huge} (${huge}, ${huge})`),
      base.replace('We’re excited', `${'**bold '.repeat(20_000)} We’re excited`),
      base.replace('## Abstracts', `## Abstracts\n\n### ${'Talk 1: '.repeat(10_000)}\n${'([x](y) '.repeat(20_000)}`),
      base.replace('title: "SRE Munich at Celonis 2024"', `title: "${'a'.repeat(200_000)}"`),
      base + `\n${'* 19:00 - '.repeat(50_000)}`,
      base + '\n' + 'for July 10th, '.repeat(50_000),
      base + '\n' + base.repeat(400),
    ];
    for (const [i, text] of cases.entries()) {
      const result = checkMarkdown(text, `huge case ${i}`);
      if (text.length > 512 * 1024) expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 1, message: expect.stringContaining('limit 512 KB') })]);
      else expect(result.event).toBeDefined();
    }
  });

  it('mutated YAML event files and settings only produce diagnostics', () => {
    const random = prng(SEED + 2);
    for (const [label, bytes] of [['example.yml', YAML_EXAMPLE], ['settings.yml', SETTINGS]] as const) {
      for (let cut = 0; cut < bytes.length; cut += 29) checkBoth(bytes.subarray(0, cut).toString('utf8'), `${label} cut ${cut}`);
      for (let round = 0; round < 120; round++) {
        const mutated = Buffer.from(bytes);
        for (let i = 0; i < 1 + Math.floor(random() * 5); i++) mutated[Math.floor(random() * mutated.length)] = ' :-#[]{}"\'\t\n|>&*!%@`'.charCodeAt(Math.floor(random() * 22));
        checkBoth(mutated.toString('utf8'), `${label} round ${round}`);
      }
    }
  });
});

/** A data file or post of another community, read without any safety net: a throw is a crash, never a diagnostic. */
function checkOther(text: string, file: string, communitySettings: CommunitySettings, label: string): void {
  let result: ParsedFile;
  try {
    result = /\.(?:ya?ml|toml|json)$/.test(file) ? { diagnostics: readDataFile(text, { file, settings: communitySettings }).diagnostics } : readPost(text, { file, settings: communitySettings });
  } catch (error) {
    throw new Error(`${label}: threw ${error instanceof Error ? error.stack : String(error)}`);
  }
  checkDiagnostics(result, label);
  if (result.event && (!result.event.start.isValid || result.event.end <= result.event.start)) throw new Error(`${label}: invalid times`);
}

describe(`fuzzing other communities' files through their profiles (seed ${SEED})`, () => {
  const ALPHABET = ' :-#[]{}"\'\t\n|>&*!%@`<>/=+.,0123456789{{<>}}';
  it.each(COMMUNITIES)('%s: cuts and mutations of front matter (YAML, TOML), shortcodes, HTML cards and data files only produce diagnostics', (name) => {
    const random = prng(SEED + 3 + COMMUNITIES.indexOf(name));
    const { settings: communitySettings, files } = communityFiles(name);
    expect(files.length).toBeGreaterThan(0);
    for (const { name: label, bytes } of files) {
      const file = `events/${path.basename(label)}`;
      const step = Math.max(37, Math.floor(bytes.length / 60));
      for (let cut = 0; cut < bytes.length; cut += step) checkOther(bytes.subarray(0, cut).toString('utf8'), file, communitySettings, `${label} cut ${cut}`);
      for (let round = 0; round < 25; round++) {
        let text = Buffer.from(bytes);
        for (let i = 0; i < 1 + Math.floor(random() * 6); i++) {
          const at = Math.floor(random() * text.length);
          const kind = random();
          if (kind < 0.5) text[at] = ALPHABET.charCodeAt(Math.floor(random() * ALPHABET.length));
          else if (kind < 0.75) text = Buffer.concat([text.subarray(0, at), Buffer.from(ALPHABET[Math.floor(random() * ALPHABET.length)]!), text.subarray(at)]);
          else text = Buffer.concat([text.subarray(0, at), text.subarray(at + 1 + Math.floor(random() * 40))]);
        }
        checkOther(text.toString('utf8'), file, communitySettings, `${label} round ${round}`);
      }
    }
  });

  it('shortcodes and HTML blocks alone: random tag soup never throws and keeps every line', () => {
    const random = prng(SEED + 20);
    const pieces = ['{{<', '>}}', '{{%', '%}}', '{{', '}}', '{%', '%}', '/', ' speaker ', 'speaker_id="x"', '"', "'", '\n', '<div>', '</div>', '<h3>', '</h3>', '<p>', '<br>', '<a href="', '">', '</a>', '<li>', '<ul>', '</ul>', 'text', '18:00', '&nbsp;', '<!--', '-->', '<script>', '</script>'];
    for (let round = 0; round < 400; round++) {
      const text = Array.from({ length: 5 + Math.floor(random() * 60) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      let stripped: string;
      try {
        stripped = stripShortcodes(text, () => undefined, { texts: { speaker: 'by {speaker_id}' }, resolve: (v) => v });
        const html = readHtmlBlock(text, 10);
        for (const l of html) if (!(Number.isInteger(l.line) && l.line >= 10)) throw new Error(`line ${l.line}`);
      } catch (error) {
        throw new Error(`tag soup round ${round} (${JSON.stringify(text)}): threw ${String(error)}`);
      }
      expect(stripped.split('\n')).toHaveLength(text.split('\n').length);
    }
  });
});

function checkYaml(text: string, label: string): void {
  let result: ParsedFile;
  try {
    result = readYamlEvent(text, { file: 'events/fuzz.yml', settings });
  } catch (error) {
    throw new Error(`${label}: threw ${String(error)}`);
  }
  checkDiagnostics(result, label);
  if (!result.event && !result.diagnostics.some((d) => d.severity === 'error')) throw new Error(`${label}: no event and no error`);
}

function checkBoth(text: string, label: string): void {
  checkYaml(text, label);
  let settingsResult: ReturnType<typeof parseSettingsText>;
  try {
    settingsResult = parseSettingsText(text);
  } catch (error) {
    throw new Error(`${label}: settings threw ${String(error)}`);
  }
  if (!settingsResult.settings && settingsResult.diagnostics.length === 0) throw new Error(`${label}: settings neither parsed nor diagnosed`);
}
