/**
 * An HTML block inside Markdown (MkDocs cards, `<p>` agendas, `<ul><li>` lists) read as the lines a person sees:
 * `<h1>`-`<h6>` become headings, `<li>` becomes a bullet, `<p>`, `<div>`, `<br>` and table cells end a line, and
 * links stay Markdown links so slides and RSVP links survive. Parsed by htmlparser2, which forgives the unclosed
 * and misnested tags that hand-written posts have.
 */
import { LineCounter } from 'yaml';
import { htmlparser2 } from '../lazy-modules';
import type { SourceLine } from './markdown-text';

export interface HtmlLine extends SourceLine {
  /** A heading of this level (its text is the title). */
  heading?: number;
  /**
   * The element holding a heading of this level closed here: what follows is no longer under that heading (a
   * card's `<h4>` speaker name rules the card, not the talk description after it).
   */
  closes?: number;
}

/** Elements that hold a heading and what belongs to it. */
const CONTAINERS = new Set(['div', 'section', 'article', 'aside', 'header', 'footer', 'main', 'figure', 'details', 'li', 'td', 'blockquote']);

const BREAKS = new Set(['p', 'div', 'br', 'tr', 'td', 'th', 'section', 'article', 'header', 'footer', 'blockquote', 'dt', 'dd', 'hr', 'table', 'ul', 'ol', 'li', 'figure', 'figcaption', 'main', 'aside', 'nav']);
const HIDDEN = new Set(['script', 'style', 'template', 'svg', 'noscript']);

/** The lines of one HTML block whose first line is file line `firstLine`. */
export function readHtmlBlock(html: string, firstLine: number): HtmlLine[] {
  const lines: HtmlLine[] = [];
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = html.indexOf('\n'); i >= 0; i = html.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
  const lineAt = (index: number) => firstLine - 1 + counter.linePos(index).line;

  let text = '';
  let textLine = firstLine;
  let hidden = 0;
  let lists = 0;
  let bullet: number | undefined;
  let heading: number | undefined;
  /** Open containers, innermost last: whether any text was in each yet. */
  const containers: boolean[] = [];
  /**
   * Headings seen, and the container each rules: the outermost one it is the first text of (`<div class="talk">
   * <div class="header"><h3>` rules the talk's card, a speaker's `<h4>` only the speaker's part of it).
   */
  const scopes: { level: number; depth: number }[] = [];
  const sawText = () => containers.fill(true);
  const links: { start: number; href: string }[] = [];
  /** `paragraph`: a block ends here, so a blank line follows (a `<br>` only ends the line). */
  const flush = (paragraph = true) => {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (clean !== '' && clean !== '[]()') {
      const line: HtmlLine = { text: bullet !== undefined ? `* ${clean}` : clean, line: textLine };
      if (heading !== undefined) line.heading = heading;
      if (bullet !== undefined) {
        line.depth = bullet;
        line.item = true;
      }
      lines.push(line);
      if (paragraph) lines.push({ text: '', line: textLine });
    }
    text = '';
    bullet = undefined;
  };

  const { Parser } = htmlparser2();
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (HIDDEN.has(name)) hidden++;
        if (/^h[1-6]$/.test(name)) {
          flush();
          heading = Number(name[1]);
          let depth = containers.length;
          while (depth > 1 && !containers[depth - 2]) depth--;
          scopes.push({ level: heading, depth });
          sawText();
          textLine = lineAt(parser.startIndex);
        } else if (BREAKS.has(name)) {
          flush(name !== 'br');
          if (name === 'ul' || name === 'ol') lists++;
          if (CONTAINERS.has(name)) containers.push(false);
          if (name === 'li') bullet = Math.max(lists, 1);
          textLine = lineAt(parser.startIndex);
        } else if (name === 'a') {
          links.push({ start: text.length, href: attributes.href ?? '' });
        }
      },
      ontext(chunk) {
        if (hidden > 0) return;
        if (chunk.trim() !== '') sawText();
        if (text.trim() === '' && chunk.trim() !== '') textLine = lineAt(parser.startIndex + (chunk.length - chunk.trimStart().length));
        text += chunk;
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        if (/^h[1-6]$/.test(name)) {
          flush();
          heading = undefined;
        } else if (BREAKS.has(name)) {
          if (name !== 'li' || text.trim() !== '') flush();
          if (name === 'ul' || name === 'ol') lists = Math.max(0, lists - 1);
          if (CONTAINERS.has(name)) {
            containers.pop();
            while (scopes.length > 0 && scopes.at(-1)!.depth > containers.length) lines.push({ text: '', line: lineAt(parser.startIndex), closes: scopes.pop()!.level });
          }
        } else if (name === 'a') {
          const link = links.pop();
          if (link && /^(?:https?:|mailto:|\/|\.{0,2}\/?[\w-])/i.test(link.href)) {
            const label = text.slice(link.start).replace(/\s+/g, ' ').trim();
            text = `${text.slice(0, link.start)}[${label.replace(/[[\]]/g, '')}](${link.href.replace(/[()\s]/g, encodeURIComponent)})`;
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return lines;
}
