import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MeetupEvent } from '../../src/catalogue/event';
import { parseMarkdownEvent, type ParsedFile } from '../../src/sources/markdown';
import { makeSettings } from '../helpers/events';

const EVENTS = path.join(__dirname, '..', '..', 'data', 'events');

function parse(name: string): ParsedFile {
  const file = `events/${name}.md`;
  return parseMarkdownEvent(readFileSync(path.join(EVENTS, `${name}.md`), 'utf8'), { file, settings: makeSettings() });
}

/**
 * Posts whose only date is the front matter `date` (when the post was published). Their times are read as before
 * (the publication day as a placeholder), flagged "date to be confirmed", and the organizers are told which
 * post needs an `eventDate:`.
 */
const PUBLICATION_DATE_ONLY = ['sre-munich-launch-event-2018', 'sre-munich-nikolaus-winter-event-2018', 'sre-munich-summer-event-2019', 'sre-munich-winter-event-2020', 'sre-munich-winter-event-2024', 'sre-munich-wiesn-event-2024'];

function event(name: string): MeetupEvent {
  const result = parse(name);
  const tbc = PUBLICATION_DATE_ONLY.includes(name);
  expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual(tbc ? [expect.objectContaining({ severity: 'warning', line: 3, message: expect.stringContaining('Add `eventDate: YYYY-MM-DD`') })] : []);
  expect(result.event).toBeDefined();
  expect(result.event!.dateToBeConfirmed).toBe(tbc ? true : undefined);
  return result.event!;
}

/** "HH:mm title" per agenda line, "--:--" when untimed, "#n" when it is talk n. */
function agendaLines(e: MeetupEvent): string[] {
  return e.agenda.map((a) => `${a.start?.toFormat('HH:mm') ?? '--:--'} ${a.title}${a.talkIndex === undefined ? '' : ` #${a.talkIndex}`}`);
}

function speakers(e: MeetupEvent): string[][] {
  return e.talks.map((t) => t.speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)));
}

describe('the 13 real SRE Munich posts', () => {
  it('fall 2022 at Sixt: "for October 13th" in the prose, three numbered talks, abstracts under ### Talk N', () => {
    const e = event('sre-munich-fall-event-2022');
    expect(e.start.toISO()).toBe('2022-10-13T18:30:00.000+02:00');
    expect(e.end.toISO()).toBe('2022-10-13T21:30:00.000+02:00');
    expect(e.dateSource).toBe('prose');
    expect(e.title).toBe('SRE Munich at Sixt 2022');
    expect(e.venue).toBe('Sixt');
    expect(agendaLines(e)).toEqual([
      '18:30 Get together with food and drinks',
      '19:00 Welcome to SREmuc',
      '19:10 Talk 1: SRE at SIXT at a glance #0',
      '19:45 Short break',
      '20:00 Talk 2: How Google got to rolling Linux releases for Desktops #1',
      '20:30 Talk 3: Recap SREcon Americas #2',
      '21:00 Networking + Drinks',
      '21:30 Leave happy and inspired :)',
    ]);
    expect(speakers(e)).toEqual([['Andreas Klinger (SIXT)'], ['Kordian Bruck (Google)'], ['Ingo Averdunk (IBM)']]);
    expect(e.talks.map((t) => t.start?.toFormat('HH:mm'))).toEqual(['19:10', '20:00', '20:30']);
    expect(e.talks[0]!.abstract).toMatch(/^Andreas Klinger and team will give us an overview on SRE at SIXT\./);
    expect(e.talks[2]!.abstract).toContain('collapse 3 conference days into a 30 min session');
    expect(e.cfp).toBeUndefined();
    expect(e.url).toBe('https://muc.sre.xyz/posts/sre-munich-fall-event-2022/');
  });

  it('fall 2020 online: 24-hour agenda, speaker after the title as "Name (Company)", bio from ## Speakers', () => {
    const e = event('sre-munich-fall-online-event-2020');
    expect(e.start.toISO()).toBe('2020-09-24T18:30:00.000+02:00');
    expect(e.end.toISO()).toBe('2020-09-24T20:30:00.000+02:00');
    expect(e.dateSource).toBe('prose');
    expect(e.venue).toBeUndefined();
    expect(agendaLines(e)).toEqual([
      '18:30 Join the online meeting',
      '18:45 Intro',
      '19:00 Chaos improves Reliability. Resistance is futile. How embracing Chaos Engineering helps building reliable mission critical workloads #0',
      '19:45 Open floor, discussion, and questions around the topic',
      '20:30 End',
    ]);
    expect(speakers(e)).toEqual([['Haytham Elkhoja (IBM)']]);
    expect(e.talks[0]!.speakers[0]!.bio).toMatch(/^Haytham Elkhoja is the Chief Architect for IBM Always On/);
    expect(e.cfp).toBe("We're always looking for 20-35 minute (technical) talks related to the very broad field of Site Reliability Engineering. Get in touch with the organizers if you'd like to present!");
  });

  it('launch 2018 at eGym: post date is the meetup date, location with address, slides and recordings sections', () => {
    const result = parse('sre-munich-launch-event-2018');
    const e = result.event!;
    expect(e.start.toISO()).toBe('2018-05-03T18:30:00.000+02:00');
    expect(e.end.toISO()).toBe('2018-05-03T21:00:00.000+02:00');
    expect(e.dateSource).toBe('front-matter');
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 3, message: expect.stringContaining('only has its publication date 2018-05-03') })]);
    expect(e.dateToBeConfirmed).toBe(true);
    expect(e.source.publishedAt?.toISO()).toBe('2018-05-03T06:30:00.000+02:00');
    expect(e.venue).toBe('eGym GmbH');
    expect(e.address).toBe('Prannerstr. 2-4, 80333 München');
    expect(agendaLines(e)).toEqual([
      '18:30 Get Together with food and drinks, sponsored by eGym GmbH',
      '19:00 Welcome and Kick-off (Ingo, danrl)',
      '19:30 Recap - SREcon 2018 #0',
      '20:00 Continuous performance profiling in production environments #1',
      '20:30 Post Mortem of the Month / Tales from On-call #2',
      '20:35 Networking + Drinks',
      '21:00 Go home inspired! [End of Event ;)]',
    ]);
    // "(Ingo)" is completed from ## Speakers; "Dmitri" there is the short form of the agenda's full name.
    expect(speakers(e)).toEqual([['Ingo Averdunk', 'danrl'], ['Dmitri Melikyan'], ['Ingo Averdunk']]);
    expect(e.talks[1]!.speakers[0]!.bio).toMatch(/^Dmitri is a software engineer and the founder of StackImpact/);
    expect(e.slides).toEqual([{ label: 'Launch event slides', url: 'https://muc.sre.xyz/slides/SRE_Meetup_Launch_Event.pdf' }]);
    expect(e.recordings).toEqual([
      { label: 'Launch Event', url: 'https://www.youtube.com/watch?v=2lHpP6vgFDk' },
      { label: 'Continuous Performance Profiling', url: 'https://www.youtube.com/watch?v=6UI02MTyncc' },
    ]);
    expect(e.cfp).toMatch(/^We're always looking for 20-30 minute technical talks \(and 5-8 minute lightning talks\)/);
  });

  it('Nikolaus 2018: 19:00 start in December despite a +02:00 front matter offset; first names resolved', () => {
    const e = event('sre-munich-nikolaus-winter-event-2018');
    expect(e.start.toISO()).toBe('2018-12-06T19:00:00.000+01:00');
    expect(e.end.toISO()).toBe('2018-12-06T21:30:00.000+01:00');
    expect(e.dateSource).toBe('front-matter');
    expect(e.venue).toBe('HolidayCheck Munich Office');
    expect(e.agenda).toHaveLength(7);
    expect(agendaLines(e).slice(1, 5)).toEqual([
      '19:30 Welcome, Sponsor Message (Dan, Ingo, Pavlos)',
      '19:40 Implementing Distributed Consensus #0',
      '20:30 Game & Prizes! "How fast are computers?" #1',
      '21:05 Post Mortem of the Month / Tales from On-call #2',
    ]);
    expect(speakers(e)).toEqual([['Dan'], ['Ingo Averdunk'], []]);
    expect(e.talks[2]!.kind).toBe('discussion');
  });

  it('spring 2023 at Netlight: "for June 13th" in a post from May 23, two speakers with one company', () => {
    const e = event('sre-munich-spring-event-2023');
    expect(e.start.toISO()).toBe('2023-06-13T18:30:00.000+02:00');
    expect(e.dateSource).toBe('prose');
    expect(e.source.publishedAt?.toISODate()).toBe('2023-05-23');
    expect(e.agenda).toHaveLength(8);
    expect(e.talks.map((t) => t.title)).toEqual([
      'Exercising Effective Incident Response and Disaster Recovery Plan via Gamedays',
      'Building Resilient Event-Driven Systems with GCP Pub/Sub: Key Reliability Considerations',
      'Eliminating human error using self-service GitOps with Crossplane',
    ]);
    expect(speakers(e)).toEqual([['Thanos Amoutzias (VW Elli)'], ['Saadi Myftija (Netlight)'], ['Stéphane Di Cesare (DKB)', 'Christopher Haar (DKB)']]);
    expect(e.talks[2]!.start?.toFormat('HH:mm')).toBe('20:15');
    expect(e.talks[0]!.slides).toEqual([{ label: 'Slides', url: 'https://muc.sre.xyz/slides/2023_06/gamedays.pdf' }]);
    expect(e.talks[0]!.abstract).toBe(
      'How can I start practicing Gamedays at my company? In this talk we are going to dive deeper into the organization of the event, from identifying incidents to run, execution and logistics to disaster recovery. Lastly, we will have a look at results and feedback we have received.',
    );
    expect(e.talks[1]!.slides).toEqual([]);
    // "## Slides: Will be added after the event" has no links.
    expect(e.slides).toEqual([]);
  });

  it('spring 2020 online: a round table is a discussion without speakers; ## Participation keeps both paragraphs', () => {
    const e = event('sre-munich-spring-online-event-2020');
    expect(e.start.toISO()).toBe('2020-04-23T18:30:00.000+02:00');
    expect(e.end.toISO()).toBe('2020-04-23T20:30:00.000+02:00');
    expect(e.dateSource).toBe('prose');
    expect(e.agenda.map((a) => a.start?.toFormat('HH:mm'))).toEqual(['18:30', '18:45', '19:00', '20:00', '20:30']);
    expect(e.talks).toHaveLength(1);
    expect(e.talks[0]).toMatchObject({ kind: 'discussion', speakers: [], title: 'SRE Round Table “What SRE means to me and my team?” and "What kind of SRE am I?"' });
    expect(e.cfp?.split('\n\n')).toHaveLength(2);
    expect(e.summary).toMatch(/^We’re excited to announce the next Meetup .* for April 23rd\./);
  });

  it('summer 2019: "## Agenda:" heading, "Title, Speaker" talks, abstracts as "* Title: ..." bullets; the SREcon recap date is not the meetup', () => {
    const e = event('sre-munich-summer-event-2019');
    expect(e.start.toISO()).toBe('2019-06-27T18:30:00.000+02:00');
    expect(e.end.toISO()).toBe('2019-06-27T21:00:00.000+02:00');
    expect(e.dateSource).toBe('front-matter');
    expect(e.agenda).toHaveLength(7);
    expect(e.talks.map((t) => t.title)).toEqual(['Canary Releases with Traefik on GKE', 'Anatomy of a SRE and DevOps transformation', 'Recap SREcon 2019 Americas']);
    expect(speakers(e)).toEqual([['Periklis Tsirakidis'], ['Aymeric Gerardin'], ['Ingo Averdunk']]);
    expect(e.talks[0]!.abstract).toMatch(/^Periklis shares with us how Traefik helped HolidayCheck/);
    // The third bullet continues the second talk's abstract.
    expect(e.talks[1]!.abstract).toContain('With 3000+ infrastrucutre nodes');
    expect(e.talks[2]!.abstract).toContain('(March 25-27, Brooklyn)');
  });

  it('summer 2024 at Celonis: "for July 10th" three days after the post; abstracts, bios and slides per talk', () => {
    const e = event('sre-munich-summer-event-2024');
    expect(e.start.toISO()).toBe('2024-07-10T18:30:00.000+02:00');
    expect(e.end.toISO()).toBe('2024-07-10T21:00:00.000+02:00');
    expect(e.dateSource).toBe('prose');
    expect(agendaLines(e)).toEqual([
      '18:30 Get together with food and drinks',
      '19:00 Celonis welcomes you to SREmuc',
      '19:10 Talk 1: Upgrading thousands of stateful applications across a global Kubernetes infrastructure #0',
      '19:40 Talk 2: Lessons learned from 15 years DevOps #1',
      '20:30 Networking + Drinks',
      '21:00 Leave happy and inspired :)',
    ]);
    expect(speakers(e)).toEqual([['Michael Lex (ClickHouse)'], ['Paul Stack (System Initiative)']]);
    expect(e.talks[0]!.speakers[0]!.bio).toMatch(/^Michael Lex is a seasoned engineer/);
    expect(e.talks[0]!.abstract).toMatch(/^How do you upgrade thousands of similar but independent stateful applications/);
    expect(e.talks[0]!.abstract).not.toContain('seasoned engineer');
    expect(e.talks[1]!.abstract?.split('\n\n')).toHaveLength(3);
    expect(e.talks.map((t) => t.slides)).toEqual([
      [{ label: 'Clickhouse', url: 'https://muc.sre.xyz/slides/2024_07/clickhouse.pdf' }],
      [{ label: "It's time to rebuild DevOps", url: 'https://muc.sre.xyz/slides/2024_07/it_is_time_to_rebuild_devops.pdf' }],
    ]);
    expect(e.venue).toBe('Celonis');
    expect(e.cfp).toBe("We're always looking for 20-45 minute (technical) talks related to the very broad field of Site Reliability Engineering. Get in touch with the organizers if you'd like to present!");
  });

  it('summer/fall 2023 at Google: "for September 26th", ## Topics matched by title and the leftover by order', () => {
    const e = event('sre-munich-summer-fall-event-2023');
    expect(e.start.toISO()).toBe('2023-09-26T18:30:00.000+02:00');
    expect(e.dateSource).toBe('prose');
    expect(e.source.publishedAt?.toISO()).toBe('2023-09-07T20:01:00.000+02:00');
    expect(e.agenda).toHaveLength(8);
    expect(speakers(e)).toEqual([['Martin Höfling (Google)'], ['Stéphane Di Cesare (DKB)', 'Christopher Haar (DKB)'], []]);
    expect(e.talks[2]).toMatchObject({ title: 'General Discussion', kind: 'discussion' });
    expect(e.talks.map((t) => t.slides.map((s) => s.url))).toEqual([
      ['https://muc.sre.xyz/slides/2023_09/2023_09_google.pdf'],
      ['https://muc.sre.xyz/slides/2023_09/2023_09_crossplane.pdf'],
      ['https://muc.sre.xyz/slides/2023_09/2023_09_meetup.pdf'],
    ]);
    // The stray "Speaker" line under the second topic is not part of the abstract.
    expect(e.talks[1]!.abstract).toMatch(/Crossplane and Flux\.$/);
  });

  it('Wiesn 2024: 6:00 pm doors, lightning talks and a panel, abstract bios with a differently spelled name', () => {
    const e = event('sre-munich-wiesn-event-2024');
    expect(e.start.toISO()).toBe('2024-09-24T18:00:00.000+02:00');
    expect(e.end.toISO()).toBe('2024-09-24T21:30:00.000+02:00');
    expect(e.dateSource).toBe('front-matter');
    expect(e.venue).toBe('Nordcloud');
    expect(e.talks.map((t) => [t.kind, t.title])).toEqual([
      ['talk', 'OpenTelemetry in Kubernetes'],
      ['lightning', 'Internal Cloud Platform'],
      ['lightning', 'SRE Topologies'],
      ['panel', 'What Type of SRE are you? What type of SRE does your project need?'],
    ]);
    expect(agendaLines(e)[3]).toBe('19:25 Lightning Talk: Internal Cloud Platform #1');
    expect(speakers(e)).toEqual([['Nadja Shakhat'], ['Piotr Hajdas (BMW AG)'], ['Ingo Averdunk'], []]);
    expect(e.talks[0]!.speakers[0]!.bio).toBe('Nadya Shakhat is Cloud Architect at Nordcloud');
    expect(e.talks[1]!.abstract).toBe('Piotr will provide a brief intro of the BMW Standard Cloud Platform for AWS, a strategic platform to host standardized workloads.');
  });

  it('winter 2020 at Google: "### Title: ..." abstracts, company-only "(Instana)" resolved from ## Speakers', () => {
    const e = event('sre-munich-winter-event-2020');
    expect(e.start.toISO()).toBe('2020-02-05T18:30:00.000+01:00');
    expect(e.dateSource).toBe('front-matter');
    expect(e.agenda).toHaveLength(7);
    expect(e.talks.map((t) => t.title)).toEqual(['Intelligent Cloud Operations with AIOps', 'The Road to SRE']);
    expect(speakers(e)).toEqual([['Jorge Cardoso'], ['Bastian Spanneberg (Instana)']]);
    expect(e.talks[0]!.abstract).toMatch(/^The field of AIOps/);
    expect(e.talks[1]!.abstract).toMatch(/^Building and establishing a SRE team[\s\S]*organizational topics\.$/);
  });

  it('winter 2023 at MaibornWolff: "(A, B)" are two speakers, "### Talk 0" slides become the meetup\'s slides', () => {
    const result = parse('sre-munich-winter-event-2023');
    const e = result.event!;
    expect(e.start.toISO()).toBe('2023-02-13T18:30:00.000+01:00');
    expect(e.end.toISO()).toBe('2023-02-13T21:30:00.000+01:00');
    expect(e.dateSource).toBe('prose');
    expect(e.agenda).toHaveLength(8);
    expect(e.talks[0]!.title).toBe('…and now it is yours! Building reliable and maintainable platforms for customers');
    expect(speakers(e)).toEqual([['Maximilian Schaugg (MaibornWolff)', 'Martin Zehetmayer (MaibornWolff)'], ['Tal Zwick (MetalBear)'], []]);
    expect(e.talks.map((t) => t.slides.map((s) => s.url))).toEqual([
      ['https://muc.sre.xyz/slides/2023_02/building_reliable_and_maintainable_platforms.pdf'],
      ['https://muc.sre.xyz/slides/2023_02/mirrord.pdf'],
      ['https://muc.sre.xyz/slides/2023_02/recap.pdf'],
    ]);
    expect(e.slides).toEqual([{ label: 'Slides', url: 'https://muc.sre.xyz/slides/2023_02/KickOff.pdf' }]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'info', line: 40, message: expect.stringContaining('"Talk 0"') })]);
  });

  it('winter 2024 with Grafana: "About the speaker:" bios, "No slides" note dropped, venue spelled as in the prose', () => {
    const e = event('sre-munich-winter-event-2024');
    expect(e.start.toISO()).toBe('2024-02-07T18:30:00.000+01:00');
    expect(e.end.toISO()).toBe('2024-02-07T21:00:00.000+01:00');
    expect(e.dateSource).toBe('front-matter');
    expect(e.title).toBe('SRE+Grafana Munich at nordcloud 2024');
    expect(e.venue).toBe('Nordcloud');
    expect(e.agenda).toHaveLength(7);
    expect(speakers(e)).toEqual([['Richard Hartmann (Grafana Labs)'], ['Nadya Shakhat (Nordcloud)'], ['Bernard Halas (Berops)']]);
    expect(e.talks[0]!.speakers[0]!.bio).toBe('Richard Hartmann is Director of Community at Grafana Labs');
    expect(e.talks[0]!.abstract).toBeUndefined();
    expect(e.talks[2]!.speakers[0]!.bio).toMatch(/^Bernard's professional career/);
    expect(e.talks[1]!.slides).toEqual([{ label: 'Navigating Observability with OTel and Grafana', url: 'https://muc.sre.xyz/slides/otel.pdf' }]);
  });

  it('every post: ids from file names, scheduled, talks linked both ways between agenda and talks', () => {
    for (const file of require('node:fs').readdirSync(EVENTS) as string[]) {
      const name = file.replace(/\.md$/, '');
      const e = parse(name).event!;
      expect(e.id).toBe(name);
      expect(e.status).toBe('scheduled');
      expect(e.start.zoneName).toBe('Europe/Berlin');
      expect(e.end > e.start).toBe(true);
      const linked = e.agenda.filter((a) => a.talkIndex !== undefined).map((a) => a.talkIndex);
      expect(linked).toEqual(e.talks.map((_, i) => i));
      for (const a of e.agenda) if (a.talkIndex !== undefined) expect(a.start?.toMillis()).toBe(e.talks[a.talkIndex]!.start?.toMillis());
    }
  });

  it('the seed post from /work/shared reads the same as the summer 2024 post', () => {
    const seed = parseMarkdownEvent(readFileSync(path.join(__dirname, '..', 'fixtures', 'sources', 'event-post-2024-07-celonis.md'), 'utf8'), {
      file: 'events/sre-munich-summer-event-2024.md',
      settings: makeSettings(),
    });
    expect(JSON.stringify(seed.event)).toBe(JSON.stringify(event('sre-munich-summer-event-2024')));
  });
});
