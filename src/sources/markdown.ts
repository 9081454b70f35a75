import type { MeetupEvent } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { tooLarge, type Diagnostic } from './diagnostics';
import { readFrontMatter } from './front-matter';
import { NO_LOOKUPS, type Lookups } from './lookups';
import type { Section } from './markdown-text';
import { parseSections } from './markdown-tree';
import { PostReader } from './post-reader';
import { resolveProfile } from './profile';
import { richTextToMarkdown, type RichMarkdown } from './rich-text';
import type { ShortcodeTexts } from './shortcodes';

/** What reading one file gave: the event (absent when the file has an error or is a draft) and what to tell organizers. */
export interface ParsedFile {
  event?: MeetupEvent;
  diagnostics: Diagnostic[];
  /** `draft: true`: deliberately not a meetup yet. */
  draft?: boolean;
}

export interface ParseOptions {
  /** Path relative to the data dir, e.g. "events/sre-munich-summer-event-2024.md". */
  file: string;
  settings: CommunitySettings;
  /** Names for the ids posts use (speakers/<id>.yaml); none when the profile has no lookups. */
  lookups?: Lookups;
}

/**
 * Parses one website post into a MeetupEvent. Never throws: every problem is a diagnostic, and a bug in the reader
 * becomes an error asking for a report rather than stopping every other file from loading.
 */
export function parseMarkdownEvent(text: string, options: ParseOptions): ParsedFile {
  try {
    return readPost(text, options);
  } catch (error) {
    return { diagnostics: [{ file: options.file, severity: 'error', message: `Could not read this post (${error instanceof Error ? error.message : String(error)}). Please report it to the bot's maintainers with the file.` }] };
  }
}

/** The reader without the safety net, for tests that must see a crash as a crash (fuzzing). */
export function readPost(raw: string, options: ParseOptions): ParsedFile {
  const { file } = options;
  const textProblem = checkText(raw, file);
  if (textProblem?.severity === 'error') return { diagnostics: [textProblem] };
  // Windows editors save UTF-8 with a byte-order mark; it is not part of the text (and hides the opening ---).
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const front = readFrontMatter(text, file, resolveProfile(options.settings));
  const diagnostics: Diagnostic[] = [...(textProblem ? [textProblem] : []), ...front.diagnostics];
  if (!front.data || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  if (front.data.draft === true) {
    diagnostics.push({ file, line: front.keyLine('draft'), severity: 'info', message: 'Draft (`draft: true`): not shown or announced until it is set to false.' });
    return { diagnostics, draft: true };
  }
  const lookups = options.lookups ?? NO_LOOKUPS;
  const profile = resolveProfile(options.settings);
  const shortcodes = { texts: profile.shortcodes, resolve: (v: string) => lookups.speakers.get(v) ?? lookups.venues.get(v) ?? v };
  const rich = profile.bodyKey ? richTextToMarkdown(front.data.raw[profile.bodyKey], profile.bodyKey) : undefined;
  const body = rich?.text ?? front.body;
  const headingWords = (key: string) => Object.values(profile.headings).some((words) => words.test(key));
  const sections = rich ? richSections(rich, file, diagnostics, shortcodes, front.keyLine) : parseSections(front.body, front.bodyLine, file, diagnostics, shortcodes, headingWords);
  const post = new PostReader(front.data, body, sections, options, diagnostics, front.keyLine);
  const event = post.read();
  return event ? { event, diagnostics } : { diagnostics };
}

/** Sections of a rich-text body, each line renumbered to the file line of the node it came from. */
function richSections(rich: RichMarkdown, file: string, diagnostics: Diagnostic[], shortcodes: ShortcodeTexts, keyLine: (key: string) => number | undefined): Section[] {
  const before = diagnostics.length;
  const sections = parseSections(rich.text, 1, file, diagnostics, shortcodes);
  const lineOf = (markdownLine: number | undefined) => (markdownLine === undefined ? undefined : keyLine(rich.paths[markdownLine - 1] ?? ''));
  for (const s of sections) {
    s.line = lineOf(s.line) ?? s.line;
    for (const l of s.lines) l.line = lineOf(l.line) ?? l.line;
  }
  for (const d of diagnostics.slice(before)) d.line = lineOf(d.line) ?? d.line;
  return sections;
}

/** Binary junk or broken encodings are named before anything tries to read them as Markdown. */
function checkText(text: string, file: string): Diagnostic | undefined {
  const size = tooLarge(text, file);
  if (size) return size;
  if (!/[\u0000\uFFFD]/.test(text)) return undefined;
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { file, line: text.slice(0, nul).split('\n').length, severity: 'error', message: 'This file contains binary data (NUL bytes), not text: save it as UTF-8 Markdown.' };
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) return { file, line: text.slice(0, bad).split('\n').length, severity: 'warning', message: 'This line has bytes that are not valid UTF-8 (shown as �): save the file as UTF-8.' };
  return undefined;
}
