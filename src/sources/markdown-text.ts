/** Markdown helpers for event posts: sections and lines with their file line numbers (see markdown-tree.ts), plain text, links. */

export interface SourceLine {
  text: string;
  /** 1-based line in the file, front matter included. */
  line: number;
  /** List nesting from the syntax tree: 1 for a top-level item and its continuation lines, 2 under it, ... */
  depth?: number;
  /** The first line of a list item. */
  item?: boolean;
  /** A line of an indented code block (its indentation removed). */
  code?: boolean;
}

export interface Section {
  /** 0 for the prose before the first heading. */
  level: number;
  /** Heading text as plain text ("Talk 1: Philosophy of Observability"). */
  title: string;
  /** Lower-case title without trailing colon, for matching ("agenda", "speakers and abstracts"). */
  key: string;
  line: number;
  /** Lines up to the next heading of any level. */
  lines: SourceLine[];
}

export function sectionKey(title: string): string {
  return title.toLowerCase().replace(/[:.!]+$/, '').replace(/\s+/g, ' ').trim();
}

/** The sections nested under sections[index] (deeper headings until one of the same or a higher level). */
export function subsections(sections: readonly Section[], index: number): Section[] {
  const level = sections[index]!.level;
  const result: Section[] = [];
  for (let i = index + 1; i < sections.length && sections[i]!.level > level; i++) result.push(sections[i]!);
  return result;
}

/** Blank-line separated groups of lines. */
export function paragraphs(lines: readonly SourceLine[]): SourceLine[][] {
  const result: SourceLine[][] = [];
  let current: SourceLine[] = [];
  for (const l of lines) {
    if (l.text.trim() === '') {
      if (current.length > 0) result.push(current);
      current = [];
    } else {
      current.push(l);
    }
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** Lines as one string of plain text; paragraphs separated by a blank line. */
export function plainParagraphs(lines: readonly SourceLine[]): string {
  return paragraphs(lines)
    .map((p) => plainText(p.map((l) => l.text).join(' ')))
    .filter((p) => p !== '')
    .join('\n\n');
}

const IMAGE = /!\[([^\]]*)\]\([^)]*\)/g;
const LINK = /\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const AUTOLINK = /<((?:https?|mailto):[^>\s]+)>/g;

const MARKUP = /[[\]*_`<~\\!]|\s\s|[^\S ]/;

/** Markdown to the text a reader sees: links become their label, emphasis markers and tags go. */
export function plainText(markdown: string): string {
  // A line without any markup character is already what the reader sees.
  if (!MARKUP.test(markdown)) return markdown.trim();
  return markdown
    .replace(IMAGE, '')
    .replace(LINK, (_, label: string, url: string) => (label.trim() === '' ? url : label))
    .replace(AUTOLINK, '$1')
    .replace(/<\/?[a-z][^<>]*>/gi, '')
    .replace(/`([^`]*)`/g, '$1')
    // Emphasis content never spans its own marker character: keeps every pattern linear on hostile input.
    .replace(/\*\*(?=[^\s*])([^*]*?[^\s*])\*\*/g, '$1')
    .replace(/__(?=[^\s_])([^_]*?[^\s_])__/g, '$1')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/~~([^~]+)~~/g, '$1')
    .replace(/\*\*/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!>])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface MarkdownLink {
  label: string;
  url: string;
}

/** Markdown links, then bare URLs not already inside one. */
export function findLinks(markdown: string): MarkdownLink[] {
  const result: MarkdownLink[] = [];
  const withoutLinks = markdown.replace(IMAGE, ' ').replace(LINK, (_, label: string, url: string) => {
    if (url) result.push({ label: plainText(label), url });
    return ' ';
  });
  for (const m of withoutLinks.matchAll(/\bhttps?:\/\/[^\s<>()"']+[^\s<>()"'.,;:!?]/g)) result.push({ label: '', url: m[0] });
  return result;
}

/** Leading list marker ("* ", "- ", "** ", "1. ") removed; undefined when the line is not a list item. */
export function stripBullet(text: string): string | undefined {
  const m = /^\s*(?:[*+\-•]+|\d+[.)])\s+(.*)$/.exec(text);
  return m ? m[1]! : undefined;
}
