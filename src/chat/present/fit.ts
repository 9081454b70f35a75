import { richToPlain, type RichText, type Section } from '../message';

/**
 * Sizes every presenter keeps to, so one model renders on every platform without the renderer cutting the
 * middle of an agenda: a section fits a Discord embed field (1,024) and a Slack section (3,000); a whole
 * message fits a Discord embed (6,000) with room for the renderer's own labels.
 */
export const SECTION_MAX = 1000;
export const MESSAGE_MAX = 5500;
export const HEADING_MAX = 250;
/** Room kept for a closing "… and N more" line with its link. */
export const MORE_LINE_ROOM = 120;

export function textLength(text: RichText | undefined): number {
  return richToPlain(text).length;
}

export function sectionLength(s: Section): number {
  return (s.heading?.length ?? 0) + textLength(s.body);
}

/** Cuts at a word boundary when there is one nearby and marks the cut with "…". */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  return (space > max * 0.6 ? room.slice(0, space) : room).trimEnd() + '…';
}

/**
 * Lines under one heading, split into as many sections as needed so none is over `max`; the heading repeats
 * with "(continued)" so a reader of the second part knows what it is.
 */
export function linesToSections(heading: string | undefined, lines: RichText[], max: number = SECTION_MAX): Section[] {
  const sections: Section[] = [];
  let body: RichText = [];
  let length = heading?.length ?? 0;
  for (const line of lines) {
    const lineLength = textLength(line) + 1;
    if (body.length > 0 && length + lineLength > max) {
      sections.push({ heading: sections.length === 0 ? heading : continued(heading), body });
      body = [];
      length = continued(heading)?.length ?? 0;
    }
    body.push(...(body.length > 0 ? ['\n'] : []), ...line);
    length += lineLength;
  }
  if (body.length > 0) sections.push({ heading: sections.length === 0 ? heading : continued(heading), body });
  return sections;
}

function continued(heading: string | undefined): string | undefined {
  return heading === undefined ? undefined : `${heading} (continued)`;
}

/**
 * Shares `budget` characters between texts of the given lengths: short texts keep all they need and the rest
 * is split evenly among the long ones (water filling), so one long abstract never squeezes out the others.
 */
export function fairShares(lengths: number[], budget: number): number[] {
  const shares = new Array<number>(lengths.length).fill(0);
  const order = lengths.map((length, i) => ({ length, i })).sort((a, b) => a.length - b.length);
  let remaining = Math.max(0, budget);
  order.forEach(({ length, i }, k) => {
    const fair = Math.floor(remaining / (order.length - k));
    shares[i] = Math.min(length, fair);
    remaining -= shares[i]!;
  });
  return shares;
}
