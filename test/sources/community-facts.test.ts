import { community, span, talks } from './community-files';

/**
 * More facts from /work/shared/events-other/README.md, field by field, beside communities.test.ts. Where the
 * README leaves a value open, the expectation is what a person reading the post would take (said in a comment).
 */
describe('other communities: more facts per file', () => {
  it('rust-aarhus: each meetup ends where its agenda says; the bar after the closing remarks is after the meetup', () => {
    const { byFile, warnings } = community('rust-aarhus');
    expect(span(byFile('2023-04-20-talks.md'))).toBe('2023-04-20T18:00-21:00');
    expect(span(byFile('2023-08-24-hack.md'))).toBe('2023-08-24T18:00-21:00');
    // "18:25 - 18:30: Closing remarks": the end of the range.
    expect(span(byFile('2023-11-07-talks.md'))).toBe('2023-11-07T16:15-18:30');
    // "20:55 - 21:00: Closing remarks", then "21:00: Let's continue the discussion at a nearby bar".
    expect(span(byFile('2024-04-25-talk-night.md'))).toBe('2024-04-25T18:05-21:00');
    expect(span(byFile('2024-11-28-talk-night.md'))).toBe('2024-11-28T18:05-21:00');
    expect(span(byFile('2025-06-19-talk-night.md'))).toBe('2025-06-19T18:05-21:00');
    expect(warnings).toEqual([]);
  });

  it('cph-rust events.toml: talks named in agenda lines of every shape ("Talk by A (Company): Title", "\u201cTitle\u201d By A & B from Company"); ends from the text and the programme', () => {
    const { events, errors } = community('cph-rust');
    expect(errors).toEqual([]);
    const named = (title: string) => events.find((e) => e.source.file === 'events/events.toml' && e.title === title)!;
    const withCompany = (title: string) => named(title).talks.map((t) => `${t.title} — ${t.speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)).join(', ')}`);
    // events.toml names two speakers for the Spin talk (the page names one): each source as it is written.
    expect(withCompany('Meetup #39')).toEqual(['An introduction to Spin, a serverless WebAssembly framework written in Rust — Mikkel Hegnhoj (Fermyon), Sohan Maheshwar (Fermyon)', 'Rust embedded at Espressif — Scott Mabin (Espressif)']);
    expect(named('Meetup #39')).toMatchObject({ venue: 'Novo Nordisk Digital Innovation Hub', address: 'Rued Langgaardsvej 5' });
    expect(named('Meetup #39').agenda).toHaveLength(5);
    expect(withCompany('Hack Night #22')).toEqual(['Sound data engineering - from bits to DataFrames — Jorge Leitão (Munin Data)', 'How I joined Tokio and made a web framework in the process — David Pedersen']);
    expect(named('Hack Night #22').agenda).toHaveLength(5);
    expect(named('Hack Night #22')).toMatchObject({ venue: 'Connected Cars', address: 'Banemarksvej 2B, 2600 Glostrup', url: undefined });
    expect(talks(named('Hack Night #21'))).toEqual(['The Future is here — Alice Ryhl', 'My tiny improvement in rustc — Jesper Steen Møller']);
    expect(named('Hack Night #21').agenda).toHaveLength(3);
    // "January 29 2020, 18:00—22:00 @ Vester Voldgade 8 (Omnio)" in the text.
    expect(span(named('Hack Night #21'))).toBe('2020-01-29T18:00-22:00');
    expect(named('Hack Night #21')).toMatchObject({ venue: 'Omnio', address: 'Vester Voldgade 8' });
    // A hack night without talks has none; "20:55 - 21:00: end()" ends it.
    expect(named('Hacknight #1').talks).toEqual([]);
    expect(span(named('Hacknight #1'))).toBe('2023-12-27T16:00-21:00');
    expect(named('Rust 1.0 Release Party')).toMatchObject({ agenda: [], talks: [] });
    // "19:30—end Food and hanging out" is open, not the end: the default three hours.
    expect(span(named('Hack #Nine'))).toBe('2018-09-27T18:00-21:00');
    expect(talks(named('Meetup #52'))).toHaveLength(2);
  });

  it("pythoncdmx: each talk card's description is its abstract and the speaker's part of the card their bio", () => {
    const { byFile } = community('pythoncdmx');
    const talk = (file: string, i: number) => byFile(file).talks[i]!;
    const bio = (file: string, i: number) => talk(file, i).speakers[0]!.bio;
    expect(talk('202309-septiembre.md', 0).abstract).toMatch(/^¿Qué tan difícil puede ser traducir un texto\?/);
    expect(bio('202309-septiembre.md', 0)).toBe('SRE Engineer SRE Engineer en Wizeline con experiencia en servicios cloud de AWS y desarrollo Python.');
    expect(talk('202309-septiembre.md', 1).abstract).toMatch(/^Explora las técnicas avanzadas de metaprogramación/);
    expect(bio('202309-septiembre.md', 1)).toBe('Python Developer Desarrollador Python con experiencia en técnicas avanzadas de programación y metaprogramación.');
    expect(talk('202504-unam.md', 0).abstract).toMatch(/^Si no presentamos nuestro trabajo/);
    expect(bio('202504-unam.md', 0)).toBe('Desarrollador Web Especialista en desarrollo web y creación de portafolios profesionales.');
    expect(talk('202504-unam.md', 1).abstract).toMatch(/^¿Es verdad que con la AI todo va a cambiar\?/);
    expect(bio('202504-unam.md', 1)).toBe('Desarrollador y Educador Experto en nuevas tecnologías y tendencias de programación.');
    // The pages whose abstract already had a heading of its own keep it; no bio ends with the page's "---" rule.
    expect(talk('202508-agosto.md', 0).abstract).toMatch(/^¿Tu programa local tarda horas/);
    expect(talk('202510-octubre.md', 0).abstract).toMatch(/^Los satélites como Sentinel-2/);
    for (const file of ['202309-septiembre.md', '202406-junio.md', '202504-unam.md', '202508-agosto.md', '202510-octubre.md']) {
      for (const t of byFile(file).talks) for (const sp of t.speakers) expect(sp.bio ?? '').not.toMatch(/---|charla/);
    }
  });

  it('swcraftstras: each post field by field (event.date, not the post date; agenda in the body or in event.programme; one talk per post)', () => {
    const { byFile, errors, warnings } = community('swcraftstras');
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    const agenda = (file: string) => byFile(file).agenda.map((a) => `${a.start?.toFormat('HH:mm') ?? '--:--'} ${a.title}`);

    // No time anywhere: the profile's default start (19:00); a dojo, no talks.
    const dojo1 = byFile('2019-03-15-coding-dojo-01.md');
    expect(dojo1).toMatchObject({ venue: 'La plage Digitale', address: undefined, online: undefined, talks: [], agenda: [], status: 'scheduled' });
    expect(dojo1.start.toFormat("yyyy-MM-dd'T'HH:mm ZZZZ")).toBe("2019-03-15T19:00 GMT+1");

    // "à partir de 19h, et nous commencerons à 19h15": the meetup opens at 19:00 (read as the start, like doors).
    const dojo2 = byFile('2022-11-14-dojo-de-programmation.md');
    expect(dojo2).toMatchObject({ venue: 'La plage Digitale', talks: [] });
    expect(dojo2.start.toFormat("yyyy-MM-dd'T'HH:mm")).toBe('2022-11-14T19:00');
    // Six items given by their length only ("25-30 minutes: rétrospective ..."): untimed, in order.
    expect(agenda('2022-11-14-dojo-de-programmation.md').map((a) => a.split(':').slice(0, 2).join(':'))).toEqual(['--:-- 2 minutes', '--:-- 25-30 minutes', '--:-- 10 minutes', '--:-- 40 minutes environs', '--:-- 5-10 minutes', '--:-- 40 minutes']);

    // Online: the venue says "en ligne", and its own link is the Discord event. The talk is the post's title "Title - Speaker".
    const online = byFile('2023-10-26-yoan-thirion-clean-code-du-point-de-vue-de-la-cognition.md');
    expect(online.start.toFormat("yyyy-MM-dd'T'HH:mm")).toBe('2023-10-26T12:00');
    expect(online).toMatchObject({ venue: undefined, online: 'https://discord.gg/sxUsNJpzVk?event=1103609082532876358', agenda: [] });
    expect(talks(online)).toEqual(['Clean Code du point de vue de la Cognition — Yoan Thirion']);

    // Posted 2024-03-08 for 2024-04-03; "## Demandez le programme !" holds the timed list; "Au revoir émouvant" ends it.
    const bdd = byFile('2024-03-08-edouard-mangel-mieux-collaborer-avec-les-testeurs-grace-au-BDD.md');
    expect(span(bdd)).toBe('2024-04-03T19:00-21:30');
    expect(bdd).toMatchObject({ venue: 'La plage Digitale', online: undefined });
    expect(agenda('2024-03-08-edouard-mangel-mieux-collaborer-avec-les-testeurs-grace-au-BDD.md')).toEqual([
      '19:00 Accueil chaleureux',
      '19:15 Mieux collaborer avec les testeurs grâce au Behavior Driven Development',
      '20:00 Apéro offert !',
      '20:15 Discussions, échanges, coding pour celles et ceux qui souhaitent',
      '21:30 Au revoir émouvant',
    ]);
    // "Talk par Davy METANGMO et Edouard MANGEL": the post's one talk, its speakers' names as a sentence writes them.
    expect(talks(bdd)).toEqual(['Mieux collaborer avec les testeurs grâce au Behavior Driven Development — Davy Metangmo, Edouard Mangel']);
    expect(bdd.talks[0]!.start?.toFormat('HH:mm')).toBe('19:15');

    // Posted 2024-06-19 for 2024-07-18 18:45; the agenda is event.programme, its last item untimed; event.speaker.
    const agile = byFile('2024-06-19-lecture-dramatique-du-manifeste-agile-romeu-moura.md');
    expect(agile.start.toFormat("yyyy-MM-dd'T'HH:mm")).toBe('2024-07-18T18:45');
    expect(agile.venue).toBe('La Plage Digitale');
    expect(agenda('2024-06-19-lecture-dramatique-du-manifeste-agile-romeu-moura.md')).toEqual(['18:45 Accueil chaleureux', '19:00 Une lecture dramatique du manifeste Agile', '--:-- Moment de convivialité']);
    expect(talks(agile)).toEqual(['Une lecture dramatique du manifeste Agile — Romeu Moura']);
  });

  it('dutch-laravel: talks written in prose, one paragraph per speaker; a webinar whose title is "Speaker over Topic"', () => {
    const { byFile } = community('dutch-laravel');
    const people = (file: string) => byFile(file).talks.map((t) => t.speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)).join(', '));
    // No titles in the post: each talk is named by its paragraph's first sentence, the paragraph its abstract.
    expect(people('laravel-meetup.md')).toEqual(['Arto Rozenga (PXL.Widgets), Dennis Koster (PXL.Widgets)', 'Ruud Schaaphuizen (Sqits)', 'Bobby Bouwman']);
    const pxl = byFile('laravel-meetup.md').talks;
    expect(pxl.map((t) => t.title)).toEqual([
      'Arto Rozenga & Dennis Koster van PXL.Widgets nemen je mee in de wereld van PHP 7.4',
      'Daarna zal Ruud Schaaphuizen van Sqits jullie meenemen in zijn ervaringen met meertaligheid in applicaties',
      'Tot slot zal Bobby Bouwman je meenemen in de wereld van Kubernetes',
    ]);
    expect(pxl[0]!.abstract).toMatch(/PHP 7\.4 geeft een enorme boost/);
    expect(pxl[2]!.abstract).toMatch(/combinatie van Laravel en Kubernetes/);
    // "Online meet-up: Mohamed Said over Laravel Queues in Action": the talk is the title's topic (his book's title).
    expect(talks(byFile('online-meet-up-mohamed-said-over-laravel-queues-in-action.md'))).toEqual(['Laravel Queues in Action — Mohamed Said']);
  });
});

