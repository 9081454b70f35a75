import type { MeetupEvent } from '../../src/catalogue/event';
import { parseMarkdownEvent } from '../../src/sources/markdown';
import { makeSettings } from '../helpers/events';

/**
 * The SRE Munich mistakes of issue 15, each in the shape of the post it was found in (posts beyond the 13 shipped
 * ones): every test fails on the line-based reader.
 */
const FILE = 'events/sre-munich-example-2025.md';
function eventOf(body: string, front = 'title: "SRE Munich at Example 2025"\ndate: 2025-03-01T10:00:00+01:00\neventDate: 2025-03-20'): MeetupEvent {
  const result = parseMarkdownEvent(`---\n${front}\n---\n${body}`, { file: FILE, settings: makeSettings() });
  if (!result.event) throw new Error(`no event: ${JSON.stringify(result.diagnostics)}`);
  return result.event;
}
const speakers = (e: MeetupEvent) => e.talks.map((t) => t.speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)));

describe('SRE Munich mistakes the tree reader fixes', () => {
  it('abstract bullets split per talk: an untitled bullet is the abstract of the next talk without one, in order', () => {
    const e = eventOf(
      [
        '## Agenda',
        '* 18:30 Doors open',
        '* 19:00 Talk 1: Incident reviews that stick (Jane Doe, Acme)',
        '* 19:45 Talk 2: Cost-aware autoscaling (Max Mustermann, Example)',
        '',
        '## Abstracts',
        '* Incident reviews that stick: How we turned post mortems into habits.',
        '* Autoscaling on cost rather than load, and what broke when we tried.',
      ].join('\n'),
    );
    expect(e.talks.map((t) => t.abstract)).toEqual(['How we turned post mortems into habits.', 'Autoscaling on cost rather than load, and what broke when we tried.']);
  });

  it('speakers after " - " in an abstract heading belong to the talk', () => {
    const e = eventOf(['## Agenda', '* 19:00 Talk 1: Platform engineering at scale', '* 20:00 Networking', '', '## Abstracts', '### Talk 1: Platform engineering at scale - Ankit Asthana & Tom Graupner', 'We show our platform.'].join('\n'));
    expect(speakers(e)).toEqual([['Ankit Asthana', 'Tom Graupner']]);
    expect(e.talks[0]!.abstract).toBe('We show our platform.');
  });

  it('a "Discussion: Title - Speaker" session keeps its speaker and its slides', () => {
    const e = eventOf(
      ['## Agenda', '* 19:00 Welcome', '* 19:10 Discussion: On-call that does not burn people out - Jane Doe', '* 20:00 Networking', '', '## Abstracts', '### Discussion: On-call that does not burn people out', 'Bring your rota.', '', 'Slides: [On-call](/slides/2025_03/oncall.pdf)'].join('\n'),
    );
    expect(e.talks).toEqual([expect.objectContaining({ title: 'On-call that does not burn people out', kind: 'discussion', speakers: [{ name: 'Jane Doe' }], slides: [{ label: 'On-call', url: 'https://muc.sre.xyz/slides/2025_03/oncall.pdf' }] })]);
    expect(e.slides).toEqual([]);
  });

  it('the company comes from the talk line ("(VP Of Engineering, Checkly)"), never from a bio naming a conference', () => {
    const e = eventOf(
      ['## Agenda', '* 19:00 Talk 1: Monitoring as code - Hannes Lenke (VP Of Engineering, Checkly)', '', '## Speakers', '* **Hannes Lenke** spoke at SREcon and at KubeCon about synthetic monitoring.'].join('\n'),
    );
    expect(speakers(e)).toEqual([['Hannes Lenke (Checkly)']]);
    const bioOnly = eventOf(['## Agenda', '* 19:00 Talk 1: Monitoring as code (Hannes Lenke)', '', '## Speakers', '* **Hannes Lenke** spoke at SREcon about synthetic monitoring.'].join('\n'));
    expect(speakers(bioOnly)).toEqual([['Hannes Lenke']]);
    expect(bioOnly.talks[0]!.speakers[0]!.bio).toContain('spoke at SREcon');
  });

  it('"Pia Nilsson, Ben Lambert (Spotify) - Backstage.io Intro + Demo" is a talk by two people of one company', () => {
    const e = eventOf(['## Agenda', '* 18:30 Doors', '* 19:00 Pia Nilsson, Ben Lambert (Spotify) - Backstage.io Intro + Demo', '* 20:00 Networking'].join('\n'));
    expect(e.talks.map((t) => t.title)).toEqual(['Backstage.io Intro + Demo']);
    expect(speakers(e)).toEqual([['Pia Nilsson (Spotify)', 'Ben Lambert (Spotify)']]);
  });

  it('an online meetup is marked online: its meeting link, else its page, where the link is posted', () => {
    const e = eventOf('We are taking things online again.\n\n## Agenda\n* 18:30 Join the online meeting\n* 19:00 Talk 1: Remote SRE (Jane Doe, Acme)', 'title: "SRE Munich Online Event 2025"\ndate: 2025-03-01T10:00:00+01:00\neventDate: 2025-03-20');
    expect(e.online).toBe('https://muc.sre.xyz/posts/sre-munich-example-2025/');
    expect(e.venue).toBeUndefined();
    const linked = eventOf('Join us at https://us02web.zoom.us/j/123 from home.\n\n## Agenda\n* 18:30 Join', 'title: "SRE Munich Online Event 2025"\neventDate: 2025-03-20');
    expect(linked.online).toBe('https://us02web.zoom.us/j/123');
    const venue = eventOf('At Example.\n\n## Agenda\n* 18:30 Doors', 'title: "SRE Munich at Example 2025"\neventDate: 2025-03-20');
    expect(venue.online).toBeUndefined();
  });

  it('relative slide links resolve against the event page, site paths against the website', () => {
    const e = eventOf(['## Agenda', '* 19:00 Talk 1: Deep dive (Jane Doe, Acme)', '', '## Abstracts', '### Talk 1', 'About it.', '', 'Slides: [Deep dive](slides/deep-dive.pdf), [Extra](/slides/extra.pdf)'].join('\n'));
    expect(e.talks[0]!.slides).toEqual([
      { label: 'Deep dive', url: 'https://muc.sre.xyz/posts/sre-munich-example-2025/slides/deep-dive.pdf' },
      { label: 'Extra', url: 'https://muc.sre.xyz/slides/extra.pdf' },
    ]);
  });
});
