import type { MeetupEvent } from '../../src/catalogue/event';
import { parseMarkdownEvent, type ParsedFile } from '../../src/sources/markdown';
import { ProfileSchema } from '../../src/sources/profile';
import { makeSettings } from '../helpers/events';

const FILE = 'events/sremuc-2025-04.md';

function parse(text: string, settings = makeSettings()): ParsedFile {
  return parseMarkdownEvent(text, { file: FILE, settings });
}

function post(frontMatter: string, body: string): string {
  return `---\n${frontMatter}\n---\n${body}`;
}

function eventOf(text: string): MeetupEvent {
  const result = parse(text);
  if (!result.event) throw new Error(`no event: ${JSON.stringify(result.diagnostics)}`);
  return result.event;
}

const times = (e: MeetupEvent) => e.agenda.map((a) => `${a.start?.toFormat('HH:mm') ?? '--:--'} ${a.title}`);

describe('agenda shapes', () => {
  it('reads "- 19:00 - Title", "** 19:00 - Title", "8:10pm" and unbulleted lines; keeps untimed lines between timed ones', () => {
    const e = eventOf(
      post(
        'title: "SRE Munich at Example"\ndate: 2025-04-01T10:00:00+02:00\neventDate: 2025-04-14',
        ['## Agenda', '', '- 18:30 - Doors open', '** 19:00 - Welcome!', '* Talk 1: Own your genAI workloads (Jane Doe, Example)', '8:10pm Networking', '21:00 Leave happy', '', 'See you there!'].join('\n'),
      ),
    );
    expect(times(e)).toEqual(['18:30 Doors open', '19:00 Welcome!', '--:-- Talk 1: Own your genAI workloads', '20:10 Networking', '21:00 Leave happy']);
    expect(e.talks).toEqual([expect.objectContaining({ title: 'Own your genAI workloads', speakers: [{ name: 'Jane Doe', company: 'Example' }], start: undefined })]);
    expect(e.agenda[2]!.talkIndex).toBe(0);
    expect(e.end.toFormat('HH:mm')).toBe('21:00');
  });

  it('a bare "7:00" after "6:30 pm" is 7 pm; a 12-hour agenda without am/pm is read as evening, with a warning', () => {
    const mixed = eventOf(post('title: T\neventDate: 2025-04-14', '## Agenda\n* 6:30 pm Doors\n* 7:00 Welcome\n* 9:00 Leave'));
    expect(times(mixed)).toEqual(['18:30 Doors', '19:00 Welcome', '21:00 Leave']);

    const bare = parse(post('title: T\neventDate: 2025-04-14', '## Agenda\n* 6:30 Doors\n* 7:00 Welcome\n* 9:00 Leave'));
    expect(times(bare.event!)).toEqual(['18:30 Doors', '19:00 Welcome', '21:00 Leave']);
    expect(bare.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', line: 6, message: expect.stringContaining('am/pm') }));
  });

  it('an agenda running past midnight continues on the next day; a time running backwards is a warning at its line', () => {
    const late = eventOf(post('title: T\neventDate: 2025-04-14', '## Agenda\n* 22:00 Doors\n* 23:30 Talk 1: Late (Jane Doe, X)\n* 00:30 Leave'));
    expect(late.agenda.map((a) => a.start?.toISO())).toEqual(['2025-04-14T22:00:00.000+02:00', '2025-04-14T23:30:00.000+02:00', '2025-04-15T00:30:00.000+02:00']);
    expect(late.end.toISO()).toBe('2025-04-15T00:30:00.000+02:00');

    const typo = parse(post('title: T\neventDate: 2025-04-14', '## Agenda\n* 18:30 Doors\n* 19:30 Welcome\n* 19:10 Talk 1: X (Jane Doe, Y)'));
    expect(typo.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', line: 8, message: expect.stringContaining('19:10 is earlier than the item before it (19:30)') }));
  });

  it('"19:00 Uhr", "19 Uhr", "19h", "19 h 15", "18:00 uur", "20:00 hrs", "kl. 18.00", "ore 19:00": the word for o\'clock is part of the time, not of the title', () => {
    const german = eventOf(post('title: T\neventDate: 2025-04-14', '## Programm\n\n1. 18:30 Uhr – Einlass\n2. 19 Uhr: Begrüßung\n3. 19:15 - 20:00 Uhr | Vorträge\n4. 21 Uhr Ende'));
    expect(times(german)).toEqual(['18:30 Einlass', '19:00 Begrüßung', '19:15 Vorträge', '21:00 Ende']);
    expect(german.end.toFormat('HH:mm')).toBe('21:00');
    const french = eventOf(post('title: T\neventDate: 2025-04-14', '## Programme\n\n- 19h : Accueil\n- 19 h 15 Présentations\n- 21h Apéro'));
    expect(times(french)).toEqual(['19:00 Accueil', '19:15 Présentations', '21:00 Apéro']);
    const dutchAndSpanish = eventOf(post('title: T\neventDate: 2025-04-14', '## Programma\n\n- 18:00 uur: Inloop met eten\n- 19 uur: Borrel\n- 20:00 hrs - Networking\n- 21 hs. Cierre'));
    expect(times(dutchAndSpanish)).toEqual(['18:00 Inloop met eten', '19:00 Borrel', '20:00 Networking', '21:00 Cierre']);
    // The word some languages put before the time.
    const before = eventOf(post('title: T\neventDate: 2025-04-14', '## Program\n\n- kl. 18.00 Dørene åbner\n- ore 19:00 Benvenuto\n- godz. 20:00 Przerwa\n- um 21 Uhr Ende'));
    expect(times(before)).toEqual(['18:00 Dørene åbner', '19:00 Benvenuto', '20:00 Przerwa', '21:00 Ende']);
    const dotted = eventOf(post('title: T\neventDate: 2025-04-14', '## Agenda\n\n- 18:30 · Doors open\n- 19:00 • Welcome\n- 21:00 → Drinks'));
    expect(times(dotted)).toEqual(['18:30 Doors open', '19:00 Welcome', '21:00 Drinks']);
    // A short "2h" at the start of a line is a length, not two in the morning.
    const lengths = eventOf(post('title: T\neventDate: 2025-04-14', '## Agenda\n\n- 18:30 Doors\n- 2h hands-on lab'));
    expect(times(lengths)).toEqual(['18:30 Doors', '--:-- 2h hands-on lab']);
  });

  it('prose paragraphs around the agenda are not agenda items; wrapped lines continue the item above', () => {
    const e = eventOf(post('title: T\neventDate: 2025-04-14', '## Agenda\n\nHere is the plan:\n\n* 18:30 Get together\n* 19:00 Talk 1: A very long title\n  that wraps (Jane Doe, X)\n\nPlease register.'));
    expect(times(e)).toEqual(['18:30 Get together', '19:00 Talk 1: A very long title that wraps']);
    expect(e.talks[0]!.speakers).toEqual([{ name: 'Jane Doe', company: 'X' }]);
  });
});

describe('talk shapes in agenda lines', () => {
  const talksOf = (lines: string[]) => eventOf(post('title: T\neventDate: 2025-04-14', `## Agenda\n${lines.map((l) => `* ${l}`).join('\n')}`)).talks;

  it('Title - Speaker, Speaker (Company) - Title, bold titles, links, lightning talks and panels', () => {
    const talks = talksOf([
      '19:00 Chaos in practice - Jane Doe',
      '19:30 Kordian Bruck (Google) - Rolling Linux releases',
      '20:00 **Continuous profiling** (Dmitri Melikyan)',
      '20:20 [Observability 2.0](https://example.com/o11y) (Richard Hartmann, Grafana Labs)',
      '20:40 Lightning Talk: SRE Topologies (Ingo Averdunk)',
      '20:50 Panel: What type of SRE are you?',
      '21:30 Networking + Drinks',
    ]);
    expect(talks.map((t) => [t.kind, t.title, t.speakers.map((s) => `${s.name}/${s.company ?? ''}`)])).toEqual([
      ['talk', 'Chaos in practice', ['Jane Doe/']],
      ['talk', 'Rolling Linux releases', ['Kordian Bruck/Google']],
      ['talk', 'Continuous profiling', ['Dmitri Melikyan/']],
      ['talk', 'Observability 2.0', ['Richard Hartmann/Grafana Labs']],
      ['lightning', 'SRE Topologies', ['Ingo Averdunk/']],
      ['panel', 'What type of SRE are you?', []],
    ]);
  });

  it('Speaker - "Quoted title" and Title — Speaker (an em dash), as German and Dutch posts write them', () => {
    const talks = talksOf(['19:00 Begrüßung', '19:10 Lisa Weber - "Logs, die man lesen kann"', '19:45 GitOps mit Flux — Erika Musterfrau']);
    expect(talks.map((t) => [t.title, t.speakers.map((s) => s.name)])).toEqual([
      ['Logs, die man lesen kann', ['Lisa Weber']],
      ['GitOps mit Flux', ['Erika Musterfrau']],
    ]);
  });

  it('a title wholly in quotes loses them, whichever quotes the language uses („…“, «…», "…")', () => {
    const talks = talksOf(['19:00 Begrüßung', '19:15 „Observability mit OpenTelemetry“ von Max Mustermann', '19:45 «Clean code et cognition» par Yoan Thirion', '20:15 "Logs you can read" by Jane Doe']);
    expect(talks.map((t) => [t.title, t.speakers.map((s) => s.name)])).toEqual([
      ['Observability mit OpenTelemetry', ['Max Mustermann']],
      ['Clean code et cognition', ['Yoan Thirion']],
      ['Logs you can read', ['Jane Doe']],
    ]);
  });

  it('"Title" - Name, Company and Title by Name (Company): the company goes with the speaker, not the title', () => {
    const talks = talksOf(['7:10 - 7:50 PM: "Building an Internal Developer Platform" - Sarah Connor, Cyberdyne', '7:55 - 8:30 PM: *Golden Paths in Practice* by John Smith (Acme)', '8:30 PM: Hacking by Tue Henriksen (40+5 min)']);
    expect(talks.map((t) => [t.title, t.speakers])).toEqual([
      ['Building an Internal Developer Platform', [{ name: 'Sarah Connor', company: 'Cyberdyne' }]],
      ['Golden Paths in Practice', [{ name: 'John Smith', company: 'Acme' }]],
      ['Hacking', [{ name: 'Tue Henriksen' }]],
    ]);
  });

  it('talk labels and the agenda\'s non-talk items in the communities\' languages: "Vortrag 1:", "Charla:", "Begrüßung (Anna)", "Accueil"', () => {
    const talks = talksOf(['19:00 Begrüßung (Anna Schmidt)', '19:15 Vortrag 1: „Terraform at Scale“ (Sebastian Meier, Allianz)', '20:00 Pause', '20:15 Charla: Python en producción (Ana López)', '21:00 Accueil des nouveaux (Marie Curie)', '21:15 Benvenuto (Mario Rossi)', '21:30 Intervento: Python e AI (Giulia Bianchi)', '21:40 Charla relámpago: Tips de pytest – Luis Pérez', '21:50 Blitzvortrag: Nix (Eva Klein)']);
    expect(talks.map((t) => [t.title, t.speakers.map((s) => s.name)])).toEqual([
      ['Terraform at Scale', ['Sebastian Meier']],
      ['Python en producción', ['Ana López']],
      ['Python e AI', ['Giulia Bianchi']],
      ['Tips de pytest', ['Luis Pérez']],
      ['Nix', ['Eva Klein']],
    ]);
    expect(talks.slice(-2).map((t) => t.kind)).toEqual(['lightning', 'lightning']);
  });

  it('welcome, food, breaks and goodbyes are agenda items, not talks, even with names in parentheses', () => {
    const e = eventOf(post('title: T\neventDate: 2025-04-14', '## Agenda\n* 18:30 Pizza\n* 19:00 Welcome and Kick-off (Ingo, danrl)\n* 19:15 Get together\n* 20:00 Short break\n* 21:00 Go home inspired!'));
    expect(e.talks).toEqual([]);
    expect(e.agenda.every((a) => a.talkIndex === undefined)).toBe(true);
    expect(e.agenda[1]!.title).toBe('Welcome and Kick-off (Ingo, danrl)');
  });
});

describe('an agenda as a table, speakers on a label line', () => {
  const table = [
    '## Agenda',
    '',
    '| Zeit  | Thema                              | Sprecher                 |',
    '|-------|------------------------------------|--------------------------|',
    '| 18:30 | Einlass & Networking               |                          |',
    '| 19:00 | Kubernetes Operatoren selbst bauen | Lena Fischer (Mayflower) |',
    '| 19:45 | Pause                              |                          |',
    '| 20:00 | eBPF für Einsteiger                | Tobias Wagner            |',
    '| 21:00 | Ausklang                           |                          |',
  ].join('\n');

  it('each body row is an agenda item, read at its line; the speaker column (by its header) names the talk\'s speakers', () => {
    const e = eventOf(post('title: T\neventDate: 2025-04-09', table));
    expect(times(e)).toEqual(['18:30 Einlass & Networking', '19:00 Kubernetes Operatoren selbst bauen', '19:45 Pause', '20:00 eBPF für Einsteiger', '21:00 Ausklang']);
    expect(e.talks.map((t) => [t.title, t.speakers])).toEqual([
      ['Kubernetes Operatoren selbst bauen', [{ name: 'Lena Fischer', company: 'Mayflower' }]],
      ['eBPF für Einsteiger', [{ name: 'Tobias Wagner' }]],
    ]);
    // "Ausklang" (winding down) is an open last item: an hour.
    expect(e.end.toFormat('HH:mm')).toBe('22:00');
    // A row's problem is reported at the row's line in the file.
    const typo = parse(post('title: T\neventDate: 2025-04-09', `${table}\n| 25:00 | Late |  |`));
    expect(typo.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: 14, message: expect.stringContaining('"25:00" is not a time of day') }));
    // A speaker column before the title, in English: the same talks.
    const english = eventOf(post('title: T\neventDate: 2025-04-09', '## Schedule\n\n| Time | Speaker | Talk |\n|---|---|---|\n| 19:00 | Jane Doe | Logs you can read |\n| 20:00 | | Drinks |'));
    expect(english.talks.map((t) => [t.title, t.speakers.map((s) => s.name)])).toEqual([['Logs you can read', ['Jane Doe']]]);
  });

  it('"Speaker: Name, Company" or "**Sprecherin:** Name" under a talk heading names its speakers and is not abstract text', () => {
    const body = '## Talks\n\n### Kubernetes Operatoren selbst bauen\n**Sprecherin:** Lena Fischer, Mayflower GmbH\n\nWie man mit kubebuilder eigene Operatoren schreibt.\n\n### eBPF für Einsteiger\nSpeakers: Tobias Wagner & Anna Berg\n\nEin Einstieg in eBPF.';
    const e = eventOf(post('title: T\neventDate: 2025-04-09', body));
    expect(e.talks.map((t) => [t.title, t.speakers, t.abstract])).toEqual([
      ['Kubernetes Operatoren selbst bauen', [{ name: 'Lena Fischer', company: 'Mayflower GmbH' }], 'Wie man mit kubebuilder eigene Operatoren schreibt.'],
      ['eBPF für Einsteiger', [{ name: 'Tobias Wagner' }, { name: 'Anna Berg' }], 'Ein Einstieg in eBPF.'],
    ]);
    // In the middle of the abstract, a sentence starting "Speakers:" is prose.
    const prose = eventOf(post('title: T\neventDate: 2025-04-09', '## Talks\n\n### Logs\nWe look at logs.\nSpeakers: bring your own laptop.'));
    expect(prose.talks[0]!.speakers).toEqual([]);
  });
});

describe('an agenda of timed headings', () => {
  it('"### 19:00 – Title" under the agenda heading: each is an item, the lines under it its speaker and abstract', () => {
    const body = ['## Agenda', '', '### 18:30 – Doors open', '', '### 19:00 – Running Kafka on Kubernetes', '**Speaker:** Jane Doe (Confluent)', '', 'Jane shows how to run Kafka with Strimzi.', '', '### 19:45 – Break', '', '### 20:00 – Incident reviews that work (John Roe)', '', 'What we learned from 100 reviews.', '', '### 21:00 – Drinks'].join('\n');
    const e = eventOf(post('title: T\neventDate: 2025-03-20', body));
    expect(times(e)).toEqual(['18:30 Doors open', '19:00 Running Kafka on Kubernetes', '19:45 Break', '20:00 Incident reviews that work', '21:00 Drinks']);
    expect(e.talks.map((t) => [t.title, t.start?.toFormat('HH:mm'), t.speakers, t.abstract])).toEqual([
      ['Running Kafka on Kubernetes', '19:00', [{ name: 'Jane Doe', company: 'Confluent' }], 'Jane shows how to run Kafka with Strimzi.'],
      ['Incident reviews that work', '20:00', [{ name: 'John Roe' }], 'What we learned from 100 reviews.'],
    ]);
    // Headings under the agenda that name no times (days, a note) leave the agenda to its lines.
    const listed = eventOf(post('title: T\neventDate: 2025-03-20', '## Agenda\n\n- 18:30 Doors\n- 19:00 Talk 1: Logs (Jane Doe)\n\n### Good to know\n\nBring a laptop.'));
    expect(times(listed)).toEqual(['18:30 Doors', '19:00 Talk 1: Logs']);
  });
});

describe('talks in the front matter', () => {
  it('the profile\'s frontMatter.talks: each record a talk (title, speaker or speakers, company), when the text names none', () => {
    const settings = { ...makeSettings(), source: ProfileSchema.parse({ frontMatter: { talks: 'talks' } }) };
    const front = 'title: T\neventDate: 2025-03-20\ntalks:\n  - title: "Logs you can read"\n    speaker: Jane Doe\n    company: Acme\n  - title: Traces\n    speakers:\n      - name: John Roe\n        company: Beta\n      - Ann Lee';
    const e = parse(post(front, 'Welcome!'), settings).event!;
    expect(e.talks.map((t) => [t.title, t.speakers])).toEqual([
      ['Logs you can read', [{ name: 'Jane Doe', company: 'Acme' }]],
      ['Traces', [{ name: 'John Roe', company: 'Beta' }, { name: 'Ann Lee' }]],
    ]);
    // Talks in the text win: the front matter's list is not added to them.
    const both = parse(post(front, '## Agenda\n\n- 19:00 Talk 1: Metrics (Max Muster)'), settings).event!;
    expect(both.talks.map((t) => t.title)).toEqual(['Metrics']);
  });
});

describe('talks listed without an agenda', () => {
  it('paragraphs under "## Talks" each led by a bold title line ("**Title** by Name") are the talks, with their abstracts', () => {
    const body = ['## Talks', '', '**Scaling Postgres to a billion rows** by Jane Doe', '', 'Jane walks through partitioning.', '', 'And vacuum tuning.', '', '**Chaos Engineering 101** by Bob Builder (Acme)', '', 'Bob breaks things on purpose.'].join('\n');
    const e = eventOf(post('title: June Meetup\neventDate: 2025-06-12', body));
    expect(e.talks.map((t) => [t.title, t.speakers, t.abstract])).toEqual([
      ['Scaling Postgres to a billion rows', [{ name: 'Jane Doe' }], 'Jane walks through partitioning.\n\nAnd vacuum tuning.'],
      ['Chaos Engineering 101', [{ name: 'Bob Builder', company: 'Acme' }], 'Bob breaks things on purpose.'],
    ]);
    // A bold phrase that starts a sentence is no title: the one talk of the agenda keeps the text as its abstract.
    const note = eventOf(post('title: T\neventDate: 2025-06-12', '## Agenda\n\n- 19:00 Talk: Logs (Jane Doe)\n\n## Talks\n\n**Note:** the talk is in German.'));
    expect(note.talks.map((t) => [t.title, t.abstract])).toEqual([['Logs', 'Note: the talk is in German.']]);
  });

  it('"Talks:" alone on a line is a heading; its numbered talk lines are the talks, a paragraph after the list is not an abstract', () => {
    const e = eventOf(post('title: February Meetup\neventDate: 2024-02-13', ['Join us from 6:30pm.', '', 'Talks:', '', '1. **Hotwire in production** by Sam Lee', '   Sam shows what broke.', '2. **Ruby 3.3 what\'s new** - Priya Patel (Shopify)', '3. Lightning talks — anyone!', '', 'Pizza and drinks kindly sponsored by Example Labs.'].join('\n')));
    expect(e.talks.map((t) => [t.title, t.speakers, t.abstract])).toEqual([
      ['Hotwire in production', [{ name: 'Sam Lee' }], 'Sam shows what broke.'],
      ["Ruby 3.3 what's new", [{ name: 'Priya Patel', company: 'Shopify' }], undefined],
    ]);
  });

  it('a bold or plain label is a heading only for the profile\'s heading words (Programm in German), not for any line ending in a colon', () => {
    const settings = makeSettings({ source: ProfileSchema.parse({ languages: ['de'] }) });
    const e = parse(post('title: T\neventDate: 2025-04-14', ['## Über uns', '', 'Wir sind ein Meetup.', '', '**Programm**', '', '- 19:00 Begrüßung', '- 19:15 Helm vs. Kustomize - Paul Paulsen', '', 'From my talk you will learn:', '', '- why talks about Helm are long (yes, really)'].join('\n')), settings).event!;
    expect(times(e)).toEqual(['19:00 Begrüßung', '19:15 Helm vs. Kustomize']);
    expect(e.talks.map((t) => t.title)).toEqual(['Helm vs. Kustomize']);
  });
});

describe('a programme over several days', () => {
  const dayTimes = (e: MeetupEvent) => e.agenda.map((a) => `${a.start?.toFormat('MM-dd HH:mm') ?? '--'} ${a.title}`);

  it('"Day 2" headings under the agenda start the next day: morning times after an evening are not read backwards', () => {
    const e = eventOf(post('title: Conf\neventDate: 2024-06-12', ['## Program', '', '### Day 1', '- 09:00 Registration', '- 10:00 Keynote: Culture (Jane Doe, ACME)', '- 17:30 End of day 1', '', '### Day 2', '- 09:00 Doors', '- 09:30 Platform teams at scale - John Smith', '- 16:00 Closing'].join('\n')));
    expect(dayTimes(e)).toEqual(['06-12 09:00 Registration', '06-12 10:00 Keynote: Culture', '06-12 17:30 End of day 1', '06-13 09:00 Doors', '06-13 09:30 Platform teams at scale', '06-13 16:00 Closing']);
    expect(e.end.toISO()).toBe('2024-06-13T16:00:00.000+02:00');
    expect(e.talks.map((t) => t.start?.toFormat('MM-dd HH:mm'))).toEqual(['06-12 10:00', '06-13 09:30']);
    expect(parse(post('title: Conf\neventDate: 2024-06-12', '## Program\n### Day 1\n- 09:00 Doors\n- 17:30 End\n### Day 2\n- 09:00 Doors\n- 16:00 Closing')).diagnostics).toEqual([]);
  });

  it('day headings that name dates (in the community languages) put their items on those dates, skipping a free day', () => {
    const settings = makeSettings({ source: ProfileSchema.parse({ languages: ['de', 'en'] }) });
    const text = post('title: Konferenz\neventDate: 2025-06-04', ['## Programm', '', 'Hier das Programm:', '', '### Mittwoch, 4. Juni', '- 09:00 Einlass', '- 17:00 Ende', '', '### Freitag, 6. Juni', '- 09:30 Plattform-Teams - Jonas Berg', '- 16:00 Abschluss'].join('\n'));
    const e = parse(text, settings).event!;
    expect(dayTimes(e)).toEqual(['06-04 09:00 Einlass', '06-04 17:00 Ende', '06-06 09:30 Plattform-Teams', '06-06 16:00 Abschluss']);
  });

  it('an evening agenda with sub-headings that name no day stays on one day', () => {
    const e = eventOf(post('title: T\neventDate: 2025-04-14', '## Agenda\n### Talks\n- 19:00 Chaos in practice - Jane Doe\n### Afterwards\n- 21:00 Networking\n- 22:00 Leave'));
    expect(dayTimes(e)).toEqual(['04-14 19:00 Chaos in practice', '04-14 21:00 Networking', '04-14 22:00 Leave']);
  });
});

describe('meetup date and time', () => {
  it('a date field written day first or in words is read, in the community\'s languages; an ambiguous one is an error', () => {
    const settings = { ...makeSettings(), source: ProfileSchema.parse({ languages: ['en', 'de'], frontMatter: { eventDate: 'event_date', start: 'time' } }) };
    const at = (front: string) => {
      const e = parse(post(`title: T\ndate: 2025-02-20\n${front}`, 'Hello.'), settings).event!;
      return e.start.toFormat("yyyy-MM-dd'T'HH:mm");
    };
    expect(at('event_date: "March 12, 2025"\ntime: "6:30 PM"')).toBe('2025-03-12T18:30');
    expect(at('event_date: "12.03.2025"\ntime: "18:30 Uhr"')).toBe('2025-03-12T18:30');
    expect(at('event_date: "Mittwoch, 12. März 2025, 19:00"')).toBe('2025-03-12T19:00');
    expect(at('event_date: "2025/03/12"\ntime: "19 Uhr"')).toBe('2025-03-12T19:00');
    // "03/12/2025" could be either day: an error that names the field and the form to write.
    const ambiguous = parse(post('title: T\ndate: 2025-02-20\nevent_date: "03/12/2025"', 'Hello.'), settings);
    expect(ambiguous.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: 4, message: expect.stringContaining('`event_date`: not a date') }));
  });

  it('explicit front matter fields win over prose and the post date; dateSource says so', () => {
    const e = eventOf(post('title: T\ndate: 2025-03-01T09:00:00+01:00\neventDate: 2025-04-14\nstart: "18:00"\nend: "21:15"\nvenue: Example GmbH\naddress: Examplestr. 1, 80331 München', 'We meet for April 20th.\n\n## Agenda\n* 6:30 pm Doors'));
    expect(e.start.toISO()).toBe('2025-04-14T18:00:00.000+02:00');
    expect(e.end.toISO()).toBe('2025-04-14T21:15:00.000+02:00');
    expect(e.dateSource).toBe('front-matter');
    expect([e.venue, e.address]).toEqual(['Example GmbH', 'Examplestr. 1, 80331 München']);
  });

  it('reads "(Monday, April 14, 2025\\n6:00 PM to 9:00 PM CEST)" split over lines, start and end from the prose', () => {
    const e = eventOf(post('title: T\ndate: 2025-03-20T10:00:00+01:00', 'Join us at Example (Monday, April 14, 2025\n6:00 PM to 9:00 PM CEST) for talks.'));
    expect(e.start.toISO()).toBe('2025-04-14T18:00:00.000+02:00');
    expect(e.end.toISO()).toBe('2025-04-14T21:00:00.000+02:00');
    expect(e.dateSource).toBe('prose');
  });

  it('a prose date without a year is the first such day on or after the post date', () => {
    expect(eventOf(post('title: T\ndate: 2024-11-20T10:00:00+01:00', 'Next meetup for January 15th.')).start.toISODate()).toBe('2025-01-15');
    expect(eventOf(post('title: T\ndate: 2024-07-10T07:00:00+02:00', 'Next meetup for July 10th.')).start.toISODate()).toBe('2024-07-10');
  });

  it('conference recaps ("SREcon (October 02-04, Dublin)") and dates in links are not the meetup date', () => {
    const result = parse(post('title: T\ndate: 2024-09-01T10:00:00+02:00', 'Ingo recaps SREcon (October 02-04, Dublin). Photos: https://example.com/2024-10-03/x\n\n## Agenda\n* 18:30 Doors'));
    expect(result.event!.start.toISO()).toBe('2024-09-01T18:30:00.000+02:00');
    expect(result.event!.dateSource).toBe('front-matter');
  });

  it('a weekday that does not match the date is a warning at its line', () => {
    const result = parse(post('title: T\ndate: 2025-03-20T10:00:00+01:00', 'Intro.\n\nJoin us on Tuesday, April 14, 2025 at 18:30.'));
    expect(result.event!.start.toISO()).toBe('2025-04-14T18:30:00.000+02:00');
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', line: 7, message: expect.stringContaining('2025-04-14 is a monday') }));
  });

  it('no start time anywhere: 18:30 with a warning naming how to fix it; start + 3 h as the end', () => {
    const result = parse(post('title: T\neventDate: 2025-04-14', 'Some text.'));
    expect(result.event!.start.toFormat('HH:mm')).toBe('18:30');
    expect(result.event!.end.toFormat('HH:mm')).toBe('21:30');
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringContaining('assuming 18:30') }));
  });

  it('a wrong offset in an explicit field keeps the wall time and warns; "Z" is a real UTC instant', () => {
    const wrong = parse(post('title: T\neventDate: 2025-11-20T19:00:00+02:00', ''));
    expect(wrong.event!.start.toISO()).toBe('2025-11-20T19:00:00.000+01:00');
    expect(wrong.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', line: 3, message: expect.stringContaining('says +02:00, but Europe/Berlin is +01:00') }));

    const utc = eventOf(post('title: T\ndate: 2025-11-20T17:30:00Z', ''));
    expect(utc.source.publishedAt?.toISO()).toBe('2025-11-20T18:30:00.000+01:00');
  });

  it('no date at all is an error naming eventDate', () => {
    const result = parse(post('title: T', 'Hello.'));
    expect(result.event).toBeUndefined();
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringContaining('eventDate') }));
  });
});

describe('daylight saving time', () => {
  it('a meetup on the last Sunday of March after the switch is +02:00, the Saturday before +01:00', () => {
    expect(eventOf(post('title: T\neventDate: 2025-03-30', '## Agenda\n* 18:30 Doors')).start.toISO()).toBe('2025-03-30T18:30:00.000+02:00');
    expect(eventOf(post('title: T\neventDate: 2025-03-29', '## Agenda\n* 18:30 Doors')).start.toISO()).toBe('2025-03-29T18:30:00.000+01:00');
  });

  it('a meetup on the last Sunday of October is +01:00; an agenda crossing the switch keeps wall times', () => {
    const e = eventOf(post('title: T\neventDate: 2025-10-26', '## Agenda\n* 18:30 Doors\n* 19:00 Talk 1: Clocks (Jane Doe, X)'));
    expect(e.start.toISO()).toBe('2025-10-26T18:30:00.000+01:00');
    expect(e.talks[0]!.start?.toISO()).toBe('2025-10-26T19:00:00.000+01:00');
    const night = eventOf(post('title: T\ndate: 2025-10-01T10:00:00+02:00\neventDate: 2025-10-25', '## Agenda\n* 23:00 Doors\n* 03:30 Leave'));
    expect(night.start.toISO()).toBe('2025-10-25T23:00:00.000+02:00');
    expect(night.end.toISO()).toBe('2025-10-26T03:30:00.000+01:00');
    // 4.5 hours on the wall clock, 5.5 hours in real time: the clocks went back in between.
    expect(night.end.diff(night.start, 'hours').hours).toBe(5.5);
  });

  it('BOT_TIMEZONE-style settings move the zone: the same wall time in another zone', () => {
    const e = parse(post('title: T\neventDate: 2025-03-30', '## Agenda\n* 18:30 Doors'), makeSettings({ timeZone: 'America/New_York' })).event!;
    expect(e.start.toISO()).toBe('2025-03-30T18:30:00.000-04:00');
  });
});

describe('status, drafts, ids and text', () => {
  it('cancelled by front matter, status or a "CANCELLED" title (stripped from the title)', () => {
    expect(eventOf(post('title: T\neventDate: 2025-04-14\ncancelled: true', '')).status).toBe('cancelled');
    expect(eventOf(post('title: T\neventDate: 2025-04-14\nstatus: cancelled', '')).status).toBe('cancelled');
    const titled = eventOf(post('title: "CANCELLED: SRE Munich at Example"\neventDate: 2025-04-14', ''));
    expect([titled.status, titled.title]).toEqual(['cancelled', 'SRE Munich at Example']);
    for (const [written, title] of [['March Meetup (CANCELLED)', 'March Meetup'], ['Meetup #12 - abgesagt', 'Meetup #12'], ['Meetup [annulé]', 'Meetup']]) {
      const e = eventOf(post(`title: "${written}"\neventDate: 2025-04-14`, ''));
      expect([e.status, e.title]).toEqual(['cancelled', title]);
    }
    expect(eventOf(post('title: "Cancelled flights and other SRE stories"\neventDate: 2025-04-14', '')).status).toBe('scheduled');
    expect(eventOf(post('title: T\neventDate: 2025-04-14', '')).status).toBe('scheduled');
  });

  it('draft posts are skipped with an info diagnostic at the draft line', () => {
    const result = parse(post('title: T\neventDate: 2025-04-14\ndraft: true', ''));
    expect(result.event).toBeUndefined();
    expect(result.draft).toBe(true);
    expect(result.diagnostics).toEqual([{ file: FILE, line: 4, severity: 'info', message: expect.stringContaining('Draft') }]);
  });

  it('titles and names are plain text; summary is the first prose paragraph; url from the template', () => {
    const e = eventOf(post('title: "SRE Munich at **Example** [GmbH](https://example.com)"\neventDate: 2025-04-14', '![banner](/img.png)\n\nWe’re *excited* to announce\nthe next [Meetup](https://meetup.com).\n\nSecond paragraph.'));
    expect(e.title).toBe('SRE Munich at Example GmbH');
    expect(e.summary).toBe('We’re excited to announce the next Meetup.');
    expect(e.id).toBe('sremuc-2025-04');
    expect(e.url).toBe('https://muc.sre.xyz/posts/sremuc-2025-04/');
    expect(eventOf(post('title: T\neventDate: 2025-04-14', '')).url).toBe('https://muc.sre.xyz/posts/sremuc-2025-04/');
    expect(parse(post('title: T\neventDate: 2025-04-14', ''), makeSettings({ eventUrlTemplate: undefined })).event!.url).toBeUndefined();
  });

  it('an online meeting link in the post becomes event.online', () => {
    const e = eventOf(post('title: SRE Munich Online\neventDate: 2025-04-14', 'Join at https://meet.google.com/abc-defg-hij and bring questions.'));
    expect(e.online).toBe('https://meet.google.com/abc-defg-hij');
    expect(e.venue).toBeUndefined();
  });
});

describe('front matter diagnostics', () => {
  it('a YAML syntax error names its line in the file', () => {
    const result = parse('---\ntitle: "SRE Munich\ndate: 2025-04-14\n---\nBody');
    expect(result.event).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ file: FILE, severity: 'error', message: expect.stringContaining('not valid YAML') });
    expect(result.diagnostics[0]!.line).toBeGreaterThanOrEqual(2);
    expect(result.diagnostics[0]!.line).toBeLessThanOrEqual(4);
  });

  it('a bad value points at the line of its key and says what to write', () => {
    const result = parse('---\ntitle: T\ndraft: false\neventDate: next tuesday\n---\n');
    expect(result.diagnostics).toEqual([{ file: FILE, line: 4, severity: 'error', message: expect.stringMatching(/^`eventDate`: not a date: write it as 2024-07-10/) }]);
  });

  it('a missing title is an error at the front matter; a misspelled key is a warning with a suggestion', () => {
    expect(parse('---\ndate: 2025-04-14\n---\n').diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 2, message: expect.stringContaining('`title`: missing') })]);
    const typo = parse('---\ntitle: T\nevenDate: 2025-04-14\ndate: 2025-04-01\n---\n');
    expect(typo.diagnostics).toContainEqual({ file: FILE, line: 3, severity: 'warning', message: 'Unknown key `evenDate` is ignored: did you mean `eventDate`?' });
  });

  it('no front matter, an unclosed one, or an empty one are errors at line 1', () => {
    for (const text of ['# Just markdown', '---\ntitle: T\n', '---\n---\nBody']) {
      const result = parse(text);
      expect(result.event).toBeUndefined();
      expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 1 })]);
    }
  });

  it('body line numbers count the front matter: a warning in the agenda names the file line', () => {
    const text = post('title: T\ndate: 2025-04-01\neventDate: 2025-04-14\nvenue: X', '\n\n## Agenda\n* 19:00 Doors\n* 18:00 Talk 1: Oops (Jane Doe, X)');
    const lines = text.split('\n');
    const expected = lines.findIndex((l) => l.includes('18:00 Talk')) + 1;
    expect(parse(text).diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', line: expected }));
  });

  it('CRLF line endings read the same as LF', () => {
    const lf = post('title: T\neventDate: 2025-04-14', '## Agenda\n* 18:30 Doors\n* 19:00 Talk 1: X (Jane Doe, Y)');
    expect(JSON.stringify(eventOf(lf.replace(/\n/g, '\r\n')))).toBe(JSON.stringify(eventOf(lf)));
  });

  it('binary data is an error; invalid UTF-8 is a warning at its line', () => {
    expect(parse('---\ntitle: T\x00\n---\n').diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 2, message: expect.stringContaining('binary') })]);
    const broken = parse(post('title: T\neventDate: 2025-04-14', 'Caf\uFFFD'));
    expect(broken.event).toBeDefined();
    expect(broken.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', line: 5 }));
  });
});

describe('times that cannot be and dates that are not given', () => {
  it('"25:00" and "13:70 pm" in an agenda are errors at their line; the other lines are still read', () => {
    const result = parse(post('title: T\neventDate: 2025-04-14', ['## Agenda', '', '* 18:30 Doors', '* 25:00 Talk 1: Late', '* 13:70 pm Talk 2: Later', '* 21:00 Leave'].join('\n')));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([
      expect.objectContaining({ line: 8, message: expect.stringContaining('"25:00" is not a time of day') }),
      expect.objectContaining({ line: 9, message: expect.stringContaining('"13:70 pm" is not a time of day') }),
    ]);
  });

  it('a start in the hour the clocks skip (last Sunday of March, 02:30 in Berlin) is a warning', () => {
    const result = parse(post('title: T\neventDate: 2025-03-30\nstart: "02:30"', 'Night owls.'));
    expect(result.event!.start.toISO()).toBe('2025-03-30T03:30:00.000+02:00');
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 4, message: expect.stringContaining('does not exist on 2025-03-30') })]);
  });

  it('only a publication date: the event keeps it as a placeholder, is flagged to be confirmed, and the post is named', () => {
    const result = parse(post('title: SRE Munich at Netlight 2025\ndate: 2025-03-10T09:12:00+01:00', '## Agenda\n\n* 18:00 Doors\n'));
    expect(result.event!.dateToBeConfirmed).toBe(true);
    expect(result.event!.start.toISODate()).toBe('2025-03-10');
    expect(result.diagnostics).toEqual([expect.objectContaining({ file: FILE, severity: 'warning', line: 3, message: expect.stringContaining('Add `eventDate: YYYY-MM-DD`') })]);
    expect(parse(post('title: T\ndate: 2025-03-10\neventDate: 2025-04-14', 'x')).event!.dateToBeConfirmed).toBeUndefined();
  });
});

describe('prose dates in the community languages (chrono-node) and the profile', () => {
  const withProfile = (source: unknown) => ({ ...makeSettings(), source: ProfileSchema.parse(source) });

  it('German and English prose dates from the issue: "Am Dienstag, dem 25. Februar 2020 um 19 Uhr", "on February the 13th"', () => {
    const de = parse(post('title: T\ndate: 2020-02-01', 'Am Dienstag, dem 25. Februar 2020 um 19 Uhr treffen wir uns.'));
    expect(de.event!.start.toISO()).toBe('2020-02-25T19:00:00.000+01:00');
    expect(de.event!.dateSource).toBe('prose');
    expect(de.diagnostics).toEqual([]);
    const en = parse(post('title: T\ndate: 2025-01-20', 'Join us on February the 13th at 6:30 pm.'));
    expect(en.event!.start.toISO()).toBe('2025-02-13T18:30:00.000+01:00');
  });

  it('a German weekday that contradicts the date is a warning at its line', () => {
    const result = parse(post('title: T\ndate: 2020-02-01', 'Hallo!\n\nAm Mittwoch, dem 25. Februar 2020 um 19 Uhr.'));
    expect(result.event!.start.toISODate()).toBe('2020-02-25');
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 7, message: expect.stringContaining('"Am Mittwoch, dem 25. Februar 2020 um 19 Uhr" names a weekday, but 2020-02-25 is a tuesday') })]);
  });

  it('a date far from the publication date is a warning', () => {
    const result = parse(post('title: T\ndate: 2024-01-10\neventDate: 2025-06-01\nstart: "18:00"', 'x'));
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 4, message: expect.stringContaining('months from the post date 2024-01-10') })]);
  });

  it('a profile maps front matter keys (nested too), headings, languages, default start and cancelled words', () => {
    const settings = withProfile({ frontMatter: { eventDate: 'event.date', venue: 'event.location.name', published: 'date' }, headings: { agenda: ['déroulé'] }, languages: ['fr'], defaultStart: '19:00', cancelledWords: ['annulé'] });
    const text = post('title: "Annulé: Coding Dojo"\ndate: 2024-03-08\nevent:\n  date: 2024-04-03\n  location:\n    name: Cobaltt', '## Déroulé\n\n- 19:00 — Accueil\n- 19:30 — Kata\n');
    const result = parse(text, settings);
    expect(result.diagnostics).toEqual([]);
    const e = result.event!;
    expect(e.start.toISO()).toBe('2024-04-03T19:00:00.000+02:00');
    expect(e.venue).toBe('Cobaltt');
    expect(e.status).toBe('cancelled');
    expect(e.title).toBe('Coding Dojo');
    expect(times(e)).toEqual(['19:00 Accueil', '19:30 Kata']);
    const prose = parse(post('title: T\ndate: 2024-03-08', 'Rendez-vous le mercredi 3 avril 2024.'), settings);
    expect(prose.event!.start.toISO()).toBe('2024-04-03T19:00:00.000+02:00');
    expect(prose.diagnostics).toEqual([]);
  });

  it('posts without front matter when the profile allows it: title from the first heading, date from the path', () => {
    const settings = withProfile({ frontMatterRequired: false, dateFromPath: true });
    const result = parseMarkdownEvent('# Rust meetup at Geanix\n\n- 18:00 - 18:20: Welcome\n', { file: 'events/2023/2023-04-20-talks.md', settings });
    expect(result.diagnostics).toEqual([]);
    expect(result.event).toMatchObject({ title: 'Rust meetup at Geanix' });
    expect(result.event!.start.toISO()).toBe('2023-04-20T18:00:00.000+02:00');
  });
});
