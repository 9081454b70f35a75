/** Which abstract belongs to which agenda talk: "Talk N" by number, then by shared title words, then in order. */
import type { AbstractEntry } from './abstracts';
import { plainText } from './markdown-text';

const STOP_WORDS = new Set(['the', 'and', 'with', 'for', 'from', 'into', 'your', 'our', 'how', 'what', 'why', 'talk', 'about', 'at', 'of', 'in', 'on', 'to', 'a', 'an']);

function tokens(text: string): Set<string> {
  return new Set(
    plainText(text)
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 3 && !STOP_WORDS.has(w)),
  );
}

/** Shared words over the shorter title's words: "Open Discussion" ~ "General Discussion" = 0.5. */
export function similarity(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let common = 0;
  for (const w of ta) if (tb.has(w)) common++;
  return common / Math.min(ta.size, tb.size);
}

export interface TalkRef {
  title: string;
  number?: number;
}

/**
 * Pairs abstract entries with talks: "Talk N" by number, then by title similarity, then the leftovers in order
 * when as many entries as talks are left. Returns, per entry, the talk index or undefined.
 */
export function matchEntries(entries: readonly AbstractEntry[], talks: readonly TalkRef[]): (number | undefined)[] {
  const result: (number | undefined)[] = entries.map(() => undefined);
  const taken = new Set<number>();
  entries.forEach((e, i) => {
    if (e.heading.number === undefined || !/^talk/i.test(e.heading.label ?? '')) return;
    const index = talks.findIndex((t, ti) => t.number === e.heading.number && !taken.has(ti));
    if (index >= 0) {
      result[i] = index;
      taken.add(index);
    }
  });
  entries.forEach((e, i) => {
    if (result[i] !== undefined || isNumberedOnly(e)) return;
    let best = -1;
    let bestScore = 0.5;
    talks.forEach((t, ti) => {
      const score = taken.has(ti) ? 0 : similarity(t.title, e.heading.title);
      if (score >= bestScore && (best < 0 || score > bestScore)) {
        best = ti;
        bestScore = score;
      }
    });
    if (best >= 0) {
      result[i] = best;
      taken.add(best);
    }
  });
  const leftEntries = entries.map((e, i) => i).filter((i) => result[i] === undefined && !isNumberedOnly(entries[i]!));
  const leftTalks = talks.map((t, i) => i).filter((i) => !taken.has(i));
  if (leftEntries.length > 0 && leftEntries.length === leftTalks.length) leftEntries.forEach((ei, k) => (result[ei] = leftTalks[k]));
  return result;
}

/** "### Talk 0" names a number, not a title: it never pairs by similarity or order. */
function isNumberedOnly(e: AbstractEntry): boolean {
  return e.heading.number !== undefined;
}
