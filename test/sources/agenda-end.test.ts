import { parseMarkdownEvent } from '../../src/sources/markdown';
import { makeSettings } from '../helpers/events';

/** Where an agenda says a meetup ends, from shapes of many communities (not one community's words). */
function endOf(agenda: string[]): string {
  const text = `---\ntitle: "Talk night"\neventDate: 2025-04-14\n---\n## Agenda\n\n${agenda.join('\n')}\n`;
  const result = parseMarkdownEvent(text, { file: 'events/x.md', settings: makeSettings() });
  if (!result.event) throw new Error(JSON.stringify(result.diagnostics));
  return `${result.event.start.toFormat('HH:mm')}-${result.event.end.toFormat('HH:mm')}`;
}

describe('the end of a meetup from its agenda', () => {
  it('a last item written as a range ends at the end of its range', () => {
    expect(endOf(['- 16:15 - 16:25: Welcome', '- 16:25 - 17:10: A talk by Jane Doe', '- 18:25 - 18:30: Closing remarks (5 min)'])).toBe('16:15-18:30');
    expect(endOf(['- 18:00 - 18:30: Doors', '- 18:30 - 21:15: Hacking'])).toBe('18:00-21:15');
    expect(endOf(['- 6:30 - 7:00 pm Doors', '- 7:00 - 9:30 Talks'])).toBe('18:30-21:30');
    expect(endOf(['- 22:00 - 23:30: Quiz', '- 23:30 - 0:30: Karaoke'])).toBe('22:00-00:30');
  });

  it('what follows the closing item (the pub, the bar, the after-party) is after the meetup', () => {
    expect(endOf(['- 18:05 - 18:15: Welcome', '- 18:15 - 20:55: Talks', '- 20:55 - 21:00: Closing remarks', "- 21:00: Let's continue the discussion at a nearby bar"])).toBe('18:05-21:00');
    expect(endOf(['- 18:00 Doors', '- 20:45 Wrap-up', '- 21:00 Afterparty at the Kneipe'])).toBe('18:00-21:00');
    // A closing item with its own end: that end.
    expect(endOf(['- 18:00 Doors', '- 20:45 - 21:05: Closing', '- 21:30 Drinks'])).toBe('18:00-21:05');
  });

  it('a last item that ends the meetup is its end; any other open last item gets an hour', () => {
    expect(endOf(['- 18:00 - 18:20: Welcome', '- ~21:00: Thank you for a wonderful evening'])).toBe('18:00-21:00');
    expect(endOf(['- 18:00 Doors', '- 19:00 Talk by Jane Doe', '- 20:45 Hang out and talk'])).toBe('18:00-21:45');
    // Thanks early on is not the end: timed items with their own ends come after it.
    expect(endOf(['- 18:00 - 18:10: Thanks to our host', '- 18:10 - 20:00: Talks', '- 20:00 - 21:00: Pizza'])).toBe('18:00-21:00');
  });
});

describe('an agenda of lengths', () => {
  it('a list whose items each start with a length is the agenda, untimed; a list of links is not', () => {
    const text = `---\ntitle: "Dojo"\neventDate: 2025-04-14\nstart: "19:00"\n---\n## Le déroulé de la soirée, en bref\n\n- 10 minutes: choose a kata\n- 40 min: code\n- 5-10 minutes: break\n\n## Links\n\n- [https://example.org](https://example.org)\n- [https://kata-log.rocks](https://kata-log.rocks)\n`;
    const event = parseMarkdownEvent(text, { file: 'events/x.md', settings: makeSettings() }).event!;
    expect(event.agenda.map((a) => `${a.start ? 'timed' : 'untimed'} ${a.title}`)).toEqual(['untimed 10 minutes: choose a kata', 'untimed 40 min: code', 'untimed 5-10 minutes: break']);
    expect(event.talks).toEqual([]);
  });
});
