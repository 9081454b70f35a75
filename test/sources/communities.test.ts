import type { MeetupEvent } from '../../src/catalogue/event';
import { community, local, talks } from './community-files';

/** Each expectation is a fact from /work/shared/events-other/README.md, read by hand from the files. */
describe('other communities through their profiles', () => {
  it('sluug: one JSON per meeting, date only; 18:30 America/Chicago and online by the site\'s own rule; presenters as speakers', () => {
    const { events, byFile, errors } = community('sluug');
    expect(errors).toEqual([]);
    expect(events).toHaveLength(6);
    expect(events.every((e) => e.start.zoneName === 'America/Chicago' && e.start.hour === 18 && e.start.minute === 30 && e.online && e.agenda.length === 0)).toBe(true);
    expect(local(byFile('2021-01-13_sluug.json'))).toBe('2021-01-13T18:30');
    expect(talks(byFile('2021-01-13_sluug.json'))).toEqual(['Customized "whereis" project — Robert C. Hansen', 'Hand Held Music Box — Lee Lammert']);
    expect(talks(byFile('2021-10-21_stllug.json'))).toEqual(['Open Discussion — ']);
    expect(byFile('2021-10-21_stllug.json').talks[0]!.kind).toBe('discussion');
    expect(talks(byFile('2022-09-14_sluug.json'))).toEqual(['Archiving Web Pages', 'Securing WordPress', 'Setting up a Linode', 'Visual Studio Code'].map((t) => `${t} — Scott Granneman`));
    expect(local(byFile('2023-09-21_stllug.json'))).toBe('2023-09-21T18:30');
    expect(talks(byFile('2024-06-12_sluug.json'))).toEqual(['Social Media for Nerds — Scott Granneman', "An adventure in starting network 'sniffing' — Lee Lammert, Grant Taylor"]);
    expect(talks(byFile('2024-11-21_stllug.json'))).toEqual(["Using BASH's getopt to simplify argument parsing — Steven Lembark"]);
  });

  it('cloudnativelinz: one YAML list of 49 events; 18:00 Vienna by default, doors_open when given; "A & B" two speakers; "the community" nobody', () => {
    const { events, errors } = community('cloudnativelinz');
    expect(errors).toEqual([]);
    expect(events).toHaveLength(49);
    const id = (n: number) => events.find((e) => e.id === `events-${n}`)!;
    expect(local(id(1))).toBe('2020-09-29T18:00');
    expect(id(1).end.toFormat('HH:mm')).toBe('21:00');
    expect(id(1).online).toBeDefined();
    expect(id(1).venue).toBeUndefined();
    expect(talks(id(1))).toEqual(['Digital Transformation (from on-premises to the cloud) — Donovan Brown', 'Serverless on the AWS Cloud, Challenges Beyond the Toy Problems — Matthias Steinbauer']);
    expect(talks(id(12))).toEqual(['A Tour of Operator-SDK — Alexandre Menezes, Yuri Oliveira Sá']);
    expect(local(id(34))).toBe('2024-10-21T18:00');
    expect(id(34).venue).toBe('Dynatrace');
    expect(local(id(42))).toBe('2025-09-24T17:30');
    expect(id(42)).toMatchObject({ venue: 'G+D Netcetera', address: 'G+D Netcetera, Europaplatz 4, 4020 Linz', online: undefined });
    expect(talks(id(42))).toEqual(['Secrets management - from plaintext to hiding keys in the Swiss Alps — Georg Mayrhauser', 'Open Mic - Share your Cloud Native Journey — ']);
    expect(talks(id(44))[0]).toBe('Hacking the Cloud Bill: Building a Multi-Cloud Cost Pipeline — Clemens Kriechbaumer');
    expect(local(id(49))).toBe('2026-05-26T17:30');
    expect(talks(id(49))).toEqual(['Closing the loop — Christoph Neumüller', 'SBOBs or how ship "Intended Behavior" — Constanze B. Roedig']);
  });

  it('cph-rust: TOML +++ pages whose date is the meetup day; events.toml with wrong offsets read as wall times, HTML agendas', () => {
    const { events, byFile, errors } = community('cph-rust');
    expect(errors).toEqual([]);
    expect(byFile('meetup-37.md').start.toISODate()).toBe('2023-06-29');
    expect(byFile('meetup-39.md').start.toISODate()).toBe('2023-08-30');
    expect(byFile('meetup-40.md').start.toISODate()).toBe('2023-09-28');
    const toml = events.filter((e) => e.source.file === 'events/events.toml');
    expect(toml).toHaveLength(63);
    const named = (title: string) => toml.find((e) => e.title === title)!;
    expect(named('Meetup #52').start.toISO()).toBe('2024-10-31T18:00:00.000+01:00');
    expect(named('Meetup #52')).toMatchObject({ venue: 'Trifork', address: 'Gdanskgade 2, 2150 Nordhavn' });
    expect(named('Meetup #52').agenda.map((a) => `${a.start?.toFormat('HH:mm')} ${a.title}`)).toEqual([
      '18:05 Welcome with quick words from Trifork and OpenZeppelin.',
      '18:15 "Building a Rust-based OS Kernel with Memory Safety First" by Hongliang Tian (Ant Group, China)',
      '19:00 Break and food sponsored by OpenZeppelin',
      '19:50 "Rust dev and build environments on Nix/NixOS" by Simon Shine',
      '20:35 Raffle 🎲',
      '20:45 Hangout and talk',
    ]);
    expect(named('Hack Night #22').start.toISO()).toBe('2021-10-28T19:00:00.000+02:00');
    expect(named('Rust 1.0 Release Party')).toMatchObject({ venue: 'Robocat', address: 'Pilestræde 43, 2nd floor' });
    expect(named('Rust 1.0 Release Party').start.toISO()).toBe('2015-05-15T18:00:00.000+02:00');
    // Talks named only in the agenda's lines: `"Title" by Speaker (Company, Country)`; companies from the line.
    expect(talks(named('Meetup #52'))).toEqual(['Building a Rust-based OS Kernel with Memory Safety First — Hongliang Tian', 'Rust dev and build environments on Nix/NixOS — Simon Shine']);
    expect(named('Meetup #52').talks[0]!.speakers[0]!.company).toBe('Ant Group, China');
    expect(talks(named('Meetup #40'))).toEqual(['Send is not about ownership — Alice Ryhl', "impl Trait: look ma', no generics! — Jon Gjengset"]);
    expect(talks(named('Meetup #37'))).toEqual(['Crate Expectations - a look at considerations for maintaining Rust libraries — Rob Ede', 'API evolution in axum — David Pedersen']);
    expect(named('Meetup #40')).toMatchObject({ venue: 'University of Copenhagen (KU)', address: 'TBD' });
    expect(named('Meetup #40').agenda).toHaveLength(5);
    expect(named('Meetup #37').agenda).toHaveLength(5);
    expect(named('Hacknight #1').agenda).toHaveLength(4);
    expect(named('Hacknight #1')).toMatchObject({ venue: 'Datalogisk Institut, Københavns Universitet (DIKU)', address: 'Universitetsparken 1' });
    // The pages: `## Title` then `by [Name](…)` lines are the talks (no agenda, no talks heading).
    expect(talks(byFile('meetup-37.md'))).toEqual(['Crate Expectations - a look at considerations for maintaining Rust libraries — Rob Ede', 'API evolution in axum — David Pedersen']);
    expect(talks(byFile('meetup-39.md'))).toEqual(['An introduction to Spin, a serverless WebAssembly framework written in Rust — Mikkel Hegnhøj', 'Rust embedded at Espressif — Scott Mabin']);
    expect(talks(byFile('meetup-40.md'))).toEqual(['Send is not about ownership — Alice Ryhl', "impl Trait: look ma', no generics! — Jon Gjengset"]);
    for (const page of ['meetup-37.md', 'meetup-39.md', 'meetup-40.md']) expect(byFile(page).agenda).toEqual([]);
  });

  it('rust-aarhus: no front matter, the date from the folder name, "- 18:05 - 18:15: Title by Speaker" agendas', () => {
    const { byFile, errors } = community('rust-aarhus');
    expect(errors).toEqual([]);
    expect(local(byFile('2023-04-20-talks.md'))).toBe('2023-04-20T18:00');
    expect(byFile('2023-04-20-talks.md').agenda).toHaveLength(7);
    expect(byFile('2023-04-20-talks.md').venue).toBe('Geanix');
    expect(local(byFile('2023-11-07-talks.md'))).toBe('2023-11-07T16:15');
    expect(byFile('2023-11-07-talks.md').agenda).toHaveLength(6);
    expect(local(byFile('2024-04-25-talk-night.md'))).toBe('2024-04-25T18:05');
    expect(byFile('2024-04-25-talk-night.md').agenda).toHaveLength(8);
    expect(talks(byFile('2024-04-25-talk-night.md'))).toEqual(['Home Automation with Rust — Cosmin Constantin Lazar', 'Rust, Flutter and AI for Nature Conservation — José Díaz', 'Building Rust for Production — Kasper Juul Hermansen']);
    expect(byFile('2024-11-28-talk-night.md').agenda).toHaveLength(7);
    expect(byFile('2025-06-19-talk-night.md').agenda).toHaveLength(7);
    expect(byFile('2023-08-24-hack.md').start.toISODate()).toBe('2023-08-24');
    expect(talks(byFile('2023-04-20-talks.md'))).toEqual([
      "Let's build a new community together - part I — Tue Henriksen",
      'Why learn Rust if I know a memory-safe language? — Philip Kristoffersen',
      'Breaking the limits of Rust: Exploring Static Reflection for Powerful Code Generation — Wojciech Polak',
      "Let's build a new community together - part II — Tue Henriksen",
    ]);
    expect(byFile('2023-08-24-hack.md')).toMatchObject({ venue: 'Trifork', address: 'Firskerivej 2', talks: [] });
    expect(byFile('2023-08-24-hack.md').agenda).toHaveLength(7);
    expect(byFile('2023-11-07-talks.md')).toMatchObject({ venue: 'ORBIT Lab', address: 'Finlandsgade 20 in Aarhus' });
    expect(talks(byFile('2023-11-07-talks.md'))).toEqual(['Designing reliable systems — Tue Henriksen', 'Why learn Rust if I know a memory-safe language? — Philip Kristoffersen']);
    expect(byFile('2024-04-25-talk-night.md').venue).toBe('Margrethepladsen 4, 3, 8000 Aarhus (bottom floor of Scandinavian Center)');
    expect(local(byFile('2024-11-28-talk-night.md'))).toBe('2024-11-28T18:05');
    expect(byFile('2024-11-28-talk-night.md')).toMatchObject({ venue: 'Lind Capital', address: 'Mariane Thomsens Gade 2F, 9th floor' });
    expect(talks(byFile('2024-11-28-talk-night.md'))).toEqual([
      "Unlocking Performance: A Beginner's Guide to Python-Rust Integration with PyO3 — Thomas Fisker Christensen",
      'From Furnace to Firmware: A Hobbyist Embedded Rust Adventure with ESP32 — Thomas Fisker Christensen',
    ]);
    expect(local(byFile('2025-06-19-talk-night.md'))).toBe('2025-06-19T18:05');
    expect(byFile('2025-06-19-talk-night.md')).toMatchObject({ venue: 'Trifork', address: 'Fiskerivej 2h, 8000 Aarhus' });
    expect(talks(byFile('2025-06-19-talk-night.md'))).toEqual(['Gaussian Splatting in Rust — José Díaz', 'Building a service in Rust — Kasper J. Hermansen']);
  });

  it('swcraftstras: Jekyll posts whose meetup date is event.date (not the post date), venue from event.location.name', () => {
    const { byFile, errors } = community('swcraftstras');
    expect(errors).toEqual([]);
    expect(byFile('2019-03-15-coding-dojo-01.md').start.toISODate()).toBe('2019-03-15');
    expect(byFile('2019-03-15-coding-dojo-01.md').venue).toBe('La plage Digitale');
    expect(byFile('2022-11-14-dojo-de-programmation.md').start.toISODate()).toBe('2022-11-14');
    expect(local(byFile('2023-10-26-yoan-thirion-clean-code-du-point-de-vue-de-la-cognition.md'))).toBe('2023-10-26T12:00');
    expect(local(byFile('2024-03-08-edouard-mangel-mieux-collaborer-avec-les-testeurs-grace-au-BDD.md'))).toBe('2024-04-03T19:00');
    expect(local(byFile('2024-06-19-lecture-dramatique-du-manifeste-agile-romeu-moura.md'))).toBe('2024-07-18T18:45');
    expect(byFile('2024-06-19-lecture-dramatique-du-manifeste-agile-romeu-moura.md').venue).toBe('La Plage Digitale');
  });

  it('python-lodz: data files and page bundles; speakers and places by id through speakers/ and locations/; wall times over wrong offsets', () => {
    const { events, byFile, errors } = community('python-lodz');
    expect(errors).toEqual([]);
    expect(events.map((e) => e.source.file).sort()).toEqual(['55.yaml', '58.yaml', '59.md', '61.md', '64.md'].map((f) => `events/${f}`));
    const venue = 'IndieBI, Piotrkowska 157A, budynek Hi Piotrkowska';
    expect(local(byFile('55.yaml'))).toBe('2024-11-27T18:00');
    expect(byFile('55.yaml')).toMatchObject({ venue, agenda: [] });
    expect(talks(byFile('55.yaml'))).toEqual(['Zabawa z Pydantic i pattern matching — Sebastian Buczyński', 'Jak logi mogą ocalić Twój dzień? Czyli Loguru w akcji — Daniel Różycki']);
    expect(local(byFile('58.yaml'))).toBe('2025-05-28T18:00');
    expect(byFile('58.yaml').venue).toBe(venue);
    expect(talks(byFile('58.yaml'))).toEqual([
      'Pythonowa konfiguracja, która przyprawi Cię o dreszcze (w dobry sposób, obiecuję!) — Grzegorz Kocjan',
      'Programista zoptymalizował aplikację, ale nikt mu nie pogratulował bo była w Pythonie 😔 — Sebastian Buczyński',
    ]);
    // `place: "indiebi"` is an id: the name comes from locations/indiebi.yaml.
    expect(local(byFile('59.md'))).toBe('2025-07-30T18:00');
    expect(byFile('59.md')).toMatchObject({ venue: 'IndieBI, Piotrkowska 157A, Hi Piotrkowska', agenda: [], talks: [] });
    // `+02:00` in November: Łódź is +01:00 then, and the wall time 18:00 is what the post means (17:00Z).
    expect(byFile('61.md').start.toUTC().toISO()).toBe('2025-11-26T17:00:00.000Z');
    expect(byFile('61.md')).toMatchObject({ venue: 'IndieBI, Piotrkowska 157A, Hi Piotrkowska', agenda: [] });
    expect(talks(byFile('61.md'))).toEqual(['Airflow 3, and the boring, production AI plumbing, that nobody talks about — Jarek Potiuk', 'System init written in Python - project analysis — Mateusz Piwek']);
    expect(byFile('64.md').start.toISO()).toBe('2026-05-27T18:00:00.000+02:00');
    expect(byFile('64.md')).toMatchObject({ venue: 'IndieBI, Piotrkowska 157A, Hi Piotrkowska', agenda: [] });
    expect(talks(byFile('64.md'))).toEqual(['Python at scale — Rafał Kowalski', 'Anegdoty z Pythona 3.15 — Bartosz Sławecki']);
    expect(events.every((e) => e.start.zoneName === 'Europe/Warsaw')).toBe(true);
  });

  it('pythoncdmx: MkDocs pages whose facts are HTML cards in Spanish; talks from their headings, speakers from the cards; the listing skipped', () => {
    const { events, byFile, errors } = community('pythoncdmx');
    expect(errors).toEqual([]);
    expect(events).toHaveLength(5);
    const span = (e: MeetupEvent) => `${local(e)}-${e.end.toFormat('HH:mm')}`;
    expect(span(byFile('202309-septiembre.md'))).toBe('2023-09-12T18:00-21:00');
    expect(byFile('202309-septiembre.md')).toMatchObject({ venue: 'Wizeline México', agenda: [] });
    expect(talks(byFile('202309-septiembre.md'))).toEqual(['Utilizando Servicios Administrados de AI de AWS con Python y Boto3 — David Sol', 'Metaprogramación en Python — Gustavo Vera']);
    expect(span(byFile('202406-junio.md'))).toBe('2024-06-11T18:30-21:00');
    expect(byFile('202406-junio.md').venue).toBe('Wizeline México');
    expect(talks(byFile('202406-junio.md'))).toEqual(['Matemáticas y Python: La Ciencia Detrás de la Regresión Lineal — Geovanni Zepeda Martínez']);
    expect(span(byFile('202504-unam.md'))).toBe('2025-04-25T16:00-19:00');
    expect(byFile('202504-unam.md').venue).toBe('Anfiteatro Alfredo Barrera, Facultad de Ciencias, UNAM');
    expect(talks(byFile('202504-unam.md'))).toEqual(['portafolio.py: Como hacer un portafolio web sin saber diseño web — Daniel Paredes', 'Programar en tiempos del Vibe-Coding — Charly Roman']);
    // The time is inside the date card, with no "Hora" card.
    expect(span(byFile('202508-agosto.md'))).toBe('2025-08-12T18:30-21:00');
    expect(byFile('202508-agosto.md').venue).toBe('Jardin Chapultepec');
    expect(talks(byFile('202508-agosto.md'))).toEqual(['Escalando tus aplicaciones Python con Ray — Juan Guillermo Gomez']);
    // The page says Wednesday the 15th (the listing and recap say the 14th): the page is what is read.
    expect(span(byFile('202510-octubre.md'))).toBe('2025-10-15T18:30-21:30');
    expect(byFile('202510-octubre.md').venue).toBe('Lyft');
    expect(talks(byFile('202510-octubre.md'))).toEqual(['Explotando productos satelitales con Python: de Sentinel-2 al mapeo de uso de suelo — Alejandro López']);
    expect(events.every((e) => e.start.zoneName === 'America/Mexico_City' && e.agenda.length === 0)).toBe(true);
  });

  it('dutch-laravel: Statamic entries whose text is a Bard document in the front matter; cancelled by [Afgelast]; "18.00 / ", "18:00 tot 18:30 | " agendas', () => {
    const { byFile, errors } = community('dutch-laravel');
    expect(errors).toEqual([]);
    const span = (e: MeetupEvent) => `${local(e)}-${e.end.toFormat('HH:mm')}`;
    const agenda = (e: MeetupEvent) => e.agenda.map((a) => `${a.start?.toFormat('HH:mm')} ${a.title}`);
    const named = (e: MeetupEvent) => talks(e);

    const pxl = byFile('laravel-meetup.md');
    expect(span(pxl)).toBe('2019-12-11T18:00-21:00');
    expect(pxl).toMatchObject({ venue: 'PXL.Widgets in Haarlem', address: 'Phoenixstraat 4, 2011 KC Haarlem', agenda: [], online: undefined, status: 'scheduled' });

    // `type: Webinar`, no location: online (its page is the link until a meeting link is written).
    const webinar = byFile('online-meet-up-mohamed-said-over-laravel-queues-in-action.md');
    expect(local(webinar)).toBe('2021-03-11T19:00');
    expect(webinar).toMatchObject({ venue: undefined, agenda: [] });
    expect(webinar.online).toBe('https://dutchlaravelfoundation.nl/events/online-meet-up-mohamed-said-over-laravel-queues-in-action');

    const ray = byFile('meetup-met-freek-van-der-herten-over-debugging-met-ray.md');
    expect(ray.status).toBe('cancelled');
    expect(ray.title).not.toMatch(/Afgelast/);
    expect(span(ray)).toBe('2021-11-23T18:00-22:00');
    expect(ray).toMatchObject({ venue: 'Bitfactory | Digital Agency Rotterdam', address: 'Goudsesingel 164, 3011 KD Rotterdam' });
    expect(agenda(ray)).toEqual(['18:00 Inloop (en wat te eten)', '19:00 Talk (To be announced)', '19:45 Talk (To be announced)', '20:30 Pauze (15 min.)', '20:45 Talk: Debugging Laravel apps faster with Ray', '21:30 Afsluiting en netwerken']);
    expect(named(ray)).toEqual(['Debugging Laravel apps faster with Ray — Freek Van der Herten']);

    const koepel = byFile('meetup-over-generics-debugging-en-the-best-of-all-frameworks.md');
    expect(span(koepel)).toBe('2022-03-17T18:00-22:00');
    expect(koepel).toMatchObject({ venue: 'De Koepel', address: 'Koepelplein 1, 2031WL Haarlem' });
    expect(agenda(koepel).map((a) => a.slice(0, 5))).toEqual(['18:00', '19:00', '19:10', '19:30', '20:15', '20:45', '21:30']);
    expect(named(koepel)).toEqual(['Generics in PHP — Menno Hoekstra', 'Debugging Laravel apps faster with Ray — Freek van der Herten', 'The best of all frameworks — Pieter Jordaan']);

    // One paragraph split by hard breaks: six items; "Spreker 3" is a placeholder, not a talk.
    const bitfactory = byFile('dutch-laravel-foundation-meetup.md');
    expect(span(bitfactory)).toBe('2023-03-07T18:00-21:00');
    expect(bitfactory).toMatchObject({ venue: 'Bitfactory', address: 'Goudsesingel 164, 3011 KD Rotterdam' });
    expect(agenda(bitfactory)).toEqual(['18:00 Inloop', '18:30 Aanvang / welkom', '18:45 Laravel & Packages: Locked & Loaded', '19:30 Event Driven Architecture', '20:15 Spreker 3', '21:00 Afsluiting']);
    expect(named(bitfactory)).toEqual(['Laravel & Packages: Locked & Loaded — Silvano Allemekinders', 'Event Driven Architecture — Ruben Maas']);

    const paqt = byFile('tech-meetup.md');
    expect(span(paqt)).toBe('2024-03-21T18:00-21:00');
    expect(paqt).toMatchObject({ venue: 'PAQT.com', address: 'Europalaan 40 · Utrecht' });
    expect(paqt.agenda).toHaveLength(6);
    expect(agenda(paqt)[0]).toBe('18:00 Inloop');
    expect(named(paqt)).toEqual(['Duurzame software ontwikkeling — Arlon Antonius', "Speak your users' language: what to look out for when going global — Robin Martijn", 'Van zoeken naar vragen (Generative AI) — Joris Meijer']);
    // A problem in the Bard text is named at the line of its YAML node, not a line of generated Markdown.
    expect(paqt.agenda[2]!.talkIndex).toBe(0);
  });
});
