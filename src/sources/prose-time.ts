/**
 * The start (and end) a post gives in its prose without a date next to it: "Nous vous accueillerons à partir de
 * 19h", "rendez-vous à 18h30", "de 19h à 21h", "Doors open at 6:30 pm", "Einlass ab 18:30 Uhr". Read only when
 * the post gives its date elsewhere (front matter, path) and no time anywhere else.
 */
import type { SourceLine } from './markdown-text';
import { isDuration, lineOf, proseResults, timeOf, type ProseTimes } from './prose-date';

export function findProseTime(lines: readonly SourceLine[], languages: readonly string[]): (ProseTimes & { line: number }) | undefined {
  const { results } = proseResults(lines, undefined, languages);
  for (const r of results) {
    // A time of day alone ("in 2 hours" is a length of time, and names a day).
    if (!r.start.isCertain('hour') || r.start.isCertain('day') || isDuration(r) || !/\d/.test(r.text)) continue;
    // Without a date beside it, a time must say which half of the day it is ("19h", "18:30", "7 pm"): "at 6" or
    // "durée 2h" is no start.
    if (!r.start.isCertain('meridiem')) continue;
    const end = r.end?.isCertain('hour') && r.end.isCertain('meridiem') ? timeOf(r.end) : undefined;
    return { start: timeOf(r.start), end, line: lineOf(lines, r.index) };
  }
  return undefined;
}
