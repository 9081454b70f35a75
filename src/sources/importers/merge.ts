import { Catalogue } from '../../catalogue/catalogue';
import type { MeetupEvent } from '../../catalogue/event';

/**
 * The community's own events plus the imported ones, as one catalogue. An import whose id is already taken by a
 * post (or by an earlier source) is left out and returned, so it can be reported: the organizers' post wins.
 */
export function withImported(files: Catalogue, imported: readonly MeetupEvent[]): { catalogue: Catalogue; clashes: MeetupEvent[] } {
  if (imported.length === 0) return { catalogue: files, clashes: [] };
  const taken = new Set(files.events.map((e) => e.id));
  const clashes: MeetupEvent[] = [];
  const kept: MeetupEvent[] = [];
  for (const event of imported) {
    if (taken.has(event.id)) clashes.push(event);
    else {
      taken.add(event.id);
      kept.push(event);
    }
  }
  return { catalogue: new Catalogue([...files.events, ...kept]), clashes };
}
