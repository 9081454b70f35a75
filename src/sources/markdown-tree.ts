/**
 * A post's body as sections, read from markdown-it's syntax tree (block tokens carry their source lines): ATX and
 * setext headings, lists with their nesting, indented and fenced code, HTML blocks (read by htmlparser2, so an
 * MkDocs `<div class="detail-card"><h3>Fecha</h3><p>…</p></div>` is a heading and a line like any other) and Hugo
 * shortcodes. Every line keeps its line number in the file, so diagnostics point at the line of the problem.
 */
import MarkdownIt from 'markdown-it';
import type { Diagnostic } from './diagnostics';
import { SPEAKER_NOUNS } from './agenda-details';
import { readHtmlBlock, type HtmlLine } from './html-block';
import { plainText, sectionKey, type Section, type SourceLine } from './markdown-text';
import { stripShortcodes, type ShortcodeTexts } from './shortcodes';

// html: true so HTML blocks come out as html_block tokens instead of paragraphs of tag soup.
const md = new MarkdownIt('default', { html: true, linkify: false });
type Token = ReturnType<typeof md.parse>[number];

/**
 * `**Agenda**` or `Talks:` alone on a line works as a heading in the wild; only for the heading words of the
 * community's profile (the plain `Word:` form only at the start of a paragraph).
 */
const BOLD_LABEL = /^(?:\*\*|__)\s*([^*_]{2,40}?)\s*:?\s*(?:\*\*|__)\s*:?$/u;
const PLAIN_LABEL = /^(\p{L}[\p{L} &/-]{1,38}):$/u;
const DEFAULT_LABELS = /^(?:agenda|abstracts|speakers|participation|slides|recordings|location)$/;
export type HeadingWords = (key: string) => boolean;

interface LineInfo {
  heading?: { level: number; title: string };
  /** Part of a heading already read (the underline of a setext heading). */
  skip?: boolean;
  depth?: number;
  item?: boolean;
  code?: boolean;
  /** An HTML block starts here: what it reads as, in its place. */
  html?: { items: HtmlLine[]; end: number };
  /** A table's body row, as the bullet an agenda parser reads (see tableRows). */
  tableRow?: string;
}

/**
 * Sections of a body whose first line is file line `firstLine`. Shortcodes and HTML that cannot be shown are
 * reported as info on their line in `diagnostics`.
 */
export function parseSections(body: string, firstLine: number, file = '', diagnostics: Diagnostic[] = [], shortcodes?: ShortcodeTexts, headingWords: HeadingWords = (key) => DEFAULT_LABELS.test(key)): Section[] {
  const text = stripShortcodes(body, (offset, message) => diagnostics.push({ file, line: firstLine + offset, severity: 'info', message }), shortcodes);
  const rows = text.split('\n');
  const info: LineInfo[] = rows.map(() => ({}));
  annotate(md.parse(text, {}), rows, info, firstLine);

  const sections: Section[] = [{ level: 0, title: '', key: '', line: firstLine, lines: [] }];
  /** Where lines go: the last section opened, or the one an HTML heading's closed container returned to. */
  let current = sections[0]!;
  const closed = new Set<Section>();
  const open = (level: number, title: string, line: number) => sections.push((current = { level, title, key: sectionKey(title), line, lines: [] }));
  // An HTML block belongs to the Markdown section it sits in, whatever its tags' levels (a card's <h2> under "## Speaker").
  let markdownLevel = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = info[i]!;
    const line = firstLine + i;
    if (row.skip) continue;
    if (row.heading) {
      open(row.heading.level, row.heading.title, line);
      markdownLevel = row.heading.level;
      continue;
    }
    if (row.html) {
      for (const { heading, closes, ...l } of row.html.items) {
        if (heading) open(Math.max(heading, markdownLevel + 1), plainText(l.text), l.line);
        else if (closes !== undefined) current = holder(sections, current, Math.max(closes, markdownLevel + 1), closed);
        else current.lines.push(l);
      }
      i = row.html.end - 1;
      continue;
    }
    const raw = row.tableRow ?? rows[i]!.replace(/\r$/, '');
    const label = row.code || row.depth ? undefined : BOLD_LABEL.exec(raw.trim())?.[1] ?? (i === 0 || rows[i - 1]!.trim() === '' ? PLAIN_LABEL.exec(raw.trim())?.[1] : undefined);
    if (label && headingWords(sectionKey(plainText(label)))) {
      open(2, plainText(label), line);
      continue;
    }
    const l: SourceLine = { text: row.code ? raw.trim() : raw, line };
    if (row.depth) l.depth = row.depth;
    if (row.item) l.item = true;
    if (row.code) l.code = true;
    current.lines.push(l);
  }
  return sections;
}

/**
 * The section lines go to once a heading of `level` no longer holds them: the nearest one above it whose own
 * element is still open (`closed` collects those that are not).
 */
function holder(sections: readonly Section[], current: Section, level: number, closed: Set<Section>): Section {
  if (current.level < level) return current;
  for (let i = sections.lastIndexOf(current); i >= 0; i--) {
    const section = sections[i]!;
    if (section.level < level && !closed.has(section)) return section;
    if (section.level >= level) closed.add(section);
  }
  return current;
}

const CONTAINER = /<(\/?)(div|section|article|table|ul|ol|details|figure|aside|main|header|footer|nav)\b[^>]*?(\/?)>/gi;

/**
 * CommonMark ends an HTML block at a blank line; MkDocs, Hugo and Jekyll keep a `<div>` open until its `</div>`,
 * blank lines and indented lines included. The block ends where its containers close (within 400 lines).
 */
function blockEnd(rows: readonly string[], from: number, to: number): number {
  let open = 0;
  for (let i = from; i < rows.length && i < from + 400; i++) {
    for (const m of rows[i]!.matchAll(CONTAINER)) if (!m[3]) open += m[1] ? -1 : 1;
    if (i + 1 >= to && open <= 0) return Math.max(i + 1, to);
  }
  return to;
}

/** Per-line facts from the block tokens: headings, list depth and item starts, code, HTML blocks. */
function annotate(tokens: readonly Token[], rows: readonly string[], info: LineInfo[], firstLine: number): void {
  let depth = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    const map = token.map;
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') depth++;
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') depth--;
    if (!map) continue;
    const [from, to] = map;
    if (token.type === 'heading_open' && depth === 0) {
      const title = plainText(tokens[t + 1]?.type === 'inline' ? tokens[t + 1]!.content : '');
      info[from]!.heading = { level: Number(token.tag.slice(1)), title };
      for (let i = from + 1; i < to; i++) info[i]!.skip = true;
    } else if (token.type === 'list_item_open') {
      info[from]!.item = true;
      for (let i = from; i < to; i++) info[i]!.depth = depth;
    } else if (token.type === 'table_open' && depth === 0) {
      t = tableRows(tokens, t, info);
    } else if (token.type === 'code_block') {
      for (let i = from; i < to; i++) info[i]!.code = true;
    } else if (token.type === 'html_block' && depth === 0) {
      const end = blockEnd(rows, from, to);
      info[from]!.html = { items: readHtmlBlock(rows.slice(from, end).join('\n'), firstLine + from), end };
      // What markdown-it read after a blank line inside the block (an indented <h3> as code) is the block's too.
      while (t + 1 < tokens.length && (tokens[t + 1]!.map?.[0] ?? Infinity) < end) t++;
    }
  }
}

/** A table column of speakers, by its header ("Speaker", "Sprecher", "Intervenant", "Ponente", "Who", "Wer"). */
const SPEAKER_COLUMN = new RegExp(String.raw`^(?:${SPEAKER_NOUNS}|who|wer|qui|quién|wie|kto)$`, 'iu');

/**
 * A GFM table, as agendas are often written (`| 19:00 | Title | Speaker |`): each body row reads as the bullet
 * `- 19:00 – Title – Speaker`, its cells in order with the speaker column last, so the agenda and talk readers
 * see the shape they know; the header and delimiter rows are skipped. Returns the index of `table_close`.
 */
function tableRows(tokens: readonly Token[], start: number, info: LineInfo[]): number {
  let header: string[] = [];
  let cells: string[] = [];
  let rowLine = -1;
  let t = start;
  for (; t < tokens.length && tokens[t]!.type !== 'table_close'; t++) {
    const token = tokens[t]!;
    if (token.type === 'tr_open') {
      cells = [];
      rowLine = token.map?.[0] ?? -1;
    } else if (token.type === 'inline') {
      cells.push(token.content.trim());
    } else if (token.type === 'thead_close') {
      header = cells.map((c) => plainText(c).trim());
      for (let i = tokens[start]!.map![0]; i <= rowLine + 1; i++) if (info[i]) info[i]!.skip = true;
    } else if (token.type === 'tr_close' && header.length > 0 && rowLine >= 0 && info[rowLine]) {
      const speakers = cells.filter((c, i) => c !== '' && SPEAKER_COLUMN.test(header[i] ?? ''));
      const others = cells.filter((c, i) => c !== '' && !SPEAKER_COLUMN.test(header[i] ?? ''));
      info[rowLine]!.tableRow = `- ${[...others, ...speakers].join(' – ')}`;
      info[rowLine]!.item = true;
    }
  }
  return t;
}
