/**
 * Talks written as records: in a data file's meetup (`talks: [{ title, speakers, abstract, slides }]`) or in a
 * post's front matter (the profile's `frontMatter.talks`), read with the profile's `dataFiles` talk keys.
 */
import type { Speaker, Talk } from '../catalogue/event';
import { safeUrl } from '../catalogue/safe-url';
import { resolveId, type Lookups } from './lookups';
import { plainText } from './markdown-text';
import { firstValue, type DataFields, type Profile } from './profile';

const COMPANY_KEYS = ['company', 'organization', 'organisation', 'affiliation'];

/** The text at the first of `paths` that holds a string or a number. */
export function recordText(record: unknown, paths: readonly string[]): string | undefined {
  const found = firstValue(record, paths);
  if (!found) return undefined;
  const v = found.value;
  return typeof v === 'string' ? v.trim() || undefined : typeof v === 'number' ? String(v) : undefined;
}

export function talksFromRecords(list: unknown, f: DataFields, profile: Profile, lookups: Lookups): Talk[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((t): Talk[] => {
    const title = recordText(t, f.talkTitle);
    if (!title) return [];
    const names = firstValue(t, f.talkSpeakers)?.value;
    // Names as strings ("A & B", their company beside them on the talk), or as maps (`{ name: A, company: Acme }`).
    const talkCompany = recordText(t, COMPANY_KEYS);
    const speakers: Speaker[] = (Array.isArray(names) ? names : [names]).flatMap((n): Speaker[] => {
      const company = typeof n === 'string' ? talkCompany : recordText(n, COMPANY_KEYS);
      const written = typeof n === 'string' ? n : recordText(n, ['name']);
      return (written ?? '')
        .split(/\s+(?:&|and|und|og|en|et|y)\s+|\s*,\s*/)
        .map((name) => resolveId(lookups.speakers, name.trim()))
        .filter((name) => name !== '' && !profile.notSpeaker.test(name))
        .map((name) => (company ? { name, company } : { name }));
    });
    const abstract = recordText(t, f.talkAbstract);
    const slides = f.talkLinks.flatMap((key) => {
      const url = recordText(t, [key]);
      const checked = safeUrl(url);
      return checked && /^https?:/.test(checked) ? [{ label: key, url: checked }] : [];
    });
    return [{ title: plainText(title.replace(/\s*\n\s*/g, ' ')), speakers, kind: speakers.length === 0 && /discuss|roundtable/i.test(title) ? 'discussion' : 'talk', ...(abstract ? { abstract } : {}), slides }];
  });
}
