import type { MeetupEvent } from '../../src/catalogue/event';
import { parseMarkdownEvent, type ParsedFile } from '../../src/sources/markdown';
import { ProfileSchema } from '../../src/sources/profile';
import { makeSettings } from '../helpers/events';

/**
 * Meetups over two days written in prose, and times written in prose only (French above all), in the shapes the
 * communities' announcements use. Recaps of other events' spans stay what they are: not the meetup.
 */
function parse(front: string, body: string, source: unknown = { languages: ['en', 'de'] }, zone = 'Europe/Berlin'): ParsedFile {
  return parseMarkdownEvent(`---\n${front}\n---\n${body}`, { file: 'events/meetup.md', settings: { ...makeSettings({ timeZone: zone }), source: ProfileSchema.parse(source) } });
}
function eventOf(...args: Parameters<typeof parse>): MeetupEvent {
  const result = parse(...args);
  if (!result.event) throw new Error(`no event: ${JSON.stringify(result.diagnostics)}`);
  return result.event;
}
const span = (e: MeetupEvent) => `${e.start.toFormat("yyyy-MM-dd'T'HH:mm")} – ${e.end.toFormat("yyyy-MM-dd'T'HH:mm")}`;
const FR = { languages: ['fr', 'en'], defaultStart: '19:00' };

describe('a meetup over days named one by one', () => {
  it('"am 4. und 5. Juni 2025" starts on the 4th and ends on the 5th', () => {
    const e = eventOf('title: SRE Munich Unconference 2025\ndate: 2025-03-01T10:00:00+01:00', 'Unsere Unconference findet am 4. und 5. Juni 2025 bei Example Labs statt, jeweils ab 18:30 Uhr.\n\nAnmeldung über Meetup.');
    expect(span(e)).toBe('2025-06-04T18:30 – 2025-06-05T21:30');
    expect(e.dateSource).toBe('prose');
  });

  it('"on June 4 and 5, 2025", "les 4 et 5 juin 2025", "los días 4 y 5 de junio", "3., 4. und 5. Juni": the first day to the last', () => {
    expect(span(eventOf('title: Two evenings\ndate: 2025-03-01T10:00:00+01:00', 'Join us on June 4 and 5, 2025 from 6:30 pm to 9 pm for two evenings of talks.'))).toBe('2025-06-04T18:30 – 2025-06-05T21:00');
    expect(span(eventOf('title: Deux soirées\ndate: 2025-03-01T10:00:00+01:00', 'Rendez-vous les 4 et 5 juin 2025 à partir de 19h à La Plage Digitale.', FR, 'Europe/Paris'))).toBe('2025-06-04T19:00 – 2025-06-05T22:00');
    expect(eventOf('title: Dos días\ndate: 2025-03-01T10:00:00-06:00', 'Nos vemos los días 4 y 5 de junio de 2025 a las 18:30.', { languages: ['es'] }, 'America/Mexico_City').start.toISODate()).toBe('2025-06-04');
    expect(span(eventOf('title: Drei Abende\ndate: 2025-03-01T10:00:00+01:00', 'Wir treffen uns am 3., 4. und 5. Juni 2025 um 19 Uhr.'))).toBe('2025-06-03T19:00 – 2025-06-05T22:00');
  });

  it('days that do not follow one another: the meetup starts on the first, and the last is not its end', () => {
    expect(span(eventOf('title: Zwei Termine\ndate: 2025-03-01T10:00:00+01:00', 'Der Workshop findet am 4. und 11. Juni 2025 um 18:30 Uhr statt.'))).toBe('2025-06-04T18:30 – 2025-06-04T21:30');
  });

  it('numbers after a date that are no days of it: "March 12 and 2 talks", "March 12 and 20 speakers"', () => {
    const date = (body: string) => eventOf('title: T\ndate: 2025-03-01T10:00:00+01:00', body).start.toISODate();
    expect(date('Our next meetup is on March 12 and 2 talks are lined up.')).toBe('2025-03-12');
    expect(date('Join us on March 12 and 20 speakers will share their stories.')).toBe('2025-03-12');
  });

  it('a span of days is another event\'s ("the talks from 3–5 June were recorded", "SREcon (October 02-04, Dublin)"), never the meetup', () => {
    const recap = parse('title: SRE Munich at Example 2025\ndate: 2025-05-20T10:00:00+02:00', 'Ingo recaps SREcon (October 02-04, Dublin), and the talks from 3–5 June were recorded.\n\n## Agenda\n* 18:30 Doors');
    expect(recap.event!.dateSource).toBe('front-matter');
    expect(recap.event!.dateToBeConfirmed).toBe(true);
    const german = parse('title: T\ndate: 2025-05-20T10:00:00+02:00', 'Die Vorträge vom 3.–5. Juni wurden aufgezeichnet.\n\n## Agenda\n* 18:30 Doors');
    expect(german.event!.dateSource).toBe('front-matter');
  });

  it('days named one by one before the post are a recap, and the meetup date is the next one written', () => {
    const e = eventOf('title: T\ndate: 2025-07-01T10:00:00+02:00', 'Danke für den 4. und 5. Juni 2025! Das nächste Treffen ist am 17. Juli 2025 um 18:30 Uhr.');
    expect(span(e)).toBe('2025-07-17T18:30 – 2025-07-17T21:30');
  });
});

describe('a day and month with dots, no year ("am 13.05.")', () => {
  it('is the first such day on or after the post date, in German and Polish; a version number is no date', () => {
    const at = (body: string, source: unknown = { languages: ['de', 'en'] }) => span(eventOf('title: T\ndate: 2025-04-20', body, source));
    expect(at('Unser nächstes Treffen ist am 13.05. ab 18:30 Uhr.')).toBe('2025-05-13T18:30 – 2025-05-13T21:30');
    expect(at('Wir sehen uns am Dienstag, 13.5. um 19 Uhr.')).toBe('2025-05-13T19:00 – 2025-05-13T22:00');
    expect(at('Spotkanie w dniu 13.05. o 18:00.', { languages: ['pl'] })).toBe('2025-05-13T18:00 – 2025-05-13T21:00');
    // Before the post date it is next year's ("am 10.01." in a post of April).
    expect(at('Das Treffen ist am 10.01. um 19 Uhr.')).toBe('2026-01-10T19:00 – 2026-01-10T22:00');
    // "Python 3.12." is no date (3 December): the post has none of its own, only its publication date.
    const version = parse('title: T\ndate: 2025-04-20', 'Wir nutzen Python 3.12. Danach gibt es Pizza.', { languages: ['de', 'en'] });
    expect(version.event?.start.toISODate()).toBe('2025-04-20');
    expect(version.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringContaining('No meetup date') }));
  });
});

describe('times in prose', () => {
  const dojo = (text: string) => eventOf('title: Dojo de programmation\ndate: "2022-11-01"\nevent:\n  date: "2022-11-14"', `# Dojo de programmation\n\n${text}`, { ...FR, frontMatter: { eventDate: 'event.date' } }, 'Europe/Paris');

  it('French: "à partir de 19h", "rendez-vous à 18h30", "de 19h à 21h", "entre 18h30 et 21h", "de 19 h à 21 h 30"', () => {
    expect(span(dojo('Nous vous accueillerons à partir de 18h45, et nous commencerons à 19h15.'))).toBe('2022-11-14T18:45 – 2022-11-14T21:45');
    expect(dojo('Rendez-vous à 18h30 devant l\'entrée, rue de Bienne.').start.toFormat('HH:mm')).toBe('18:30');
    expect(span(dojo('Le dojo aura lieu de 19h à 21h.'))).toBe('2022-11-14T19:00 – 2022-11-14T21:00');
    expect(span(dojo('On code ensemble entre 18h30 et 21h.'))).toBe('2022-11-14T18:30 – 2022-11-14T21:00');
    expect(span(dojo('Ça se passe de 19 h à 21 h 30.'))).toBe('2022-11-14T19:00 – 2022-11-14T21:30');
  });

  it('beside a date: "le lundi 14 novembre à partir de 18h30" (chrono alone reads "de 18h30" as "in 18 hours")', () => {
    const e = eventOf('title: Dojo\ndate: "2022-11-01"', "L'événement aura lieu le lundi 14 novembre à partir de 18h30.", FR, 'Europe/Paris');
    expect(e.start.toISO()).toBe('2022-11-14T18:30:00.000+01:00');
  });

  it('English and German too, with the date in the front matter: "Doors open at 6:30 pm", "Einlass ab 18:00 Uhr"', () => {
    expect(eventOf('title: T\ndate: 2025-03-01T10:00:00+01:00\neventDate: 2025-03-20', 'Doors open at 6:30 pm, talks start at 7 pm.').start.toFormat('HH:mm')).toBe('18:30');
    expect(eventOf('title: T\ndate: 2025-03-01T10:00:00+01:00\neventDate: 2025-03-20', 'Einlass ab 18:00 Uhr, los geht es um 18:30 Uhr.').start.toFormat('HH:mm')).toBe('18:00');
  });

  it('not a start: a duration, an hour without its half of the day, a time in an abstract; the fields and the agenda win', () => {
    const plain = (body: string) => eventOf('title: T\ndate: 2025-03-01T10:00:00+01:00\neventDate: 2025-03-20', body).start.toFormat('HH:mm');
    // The community's default start (18:30) stays.
    expect(plain('Durée 2h, pendant 25 minutes on code. Meet at 6 near the entrance.')).toBe('18:30');
    expect(plain('Intro.\n\n## Abstracts\n\n### Incident reviews\nThe outage began at 21:30 and lasted an hour.')).toBe('18:30');
    expect(plain('Doors open at 6 pm.\n\n## Agenda\n* 18:30 Welcome\n* 19:00 Talk')).toBe('18:30');
    expect(eventOf('title: T\ndate: 2025-03-01T10:00:00+01:00\neventDate: 2025-03-20\nstart: "19:00"', 'Doors open at 6 pm.').start.toFormat('HH:mm')).toBe('19:00');
  });

  it('after a date in prose, a small hour that does not say its half of the day is a length, not the start', () => {
    const after = (body: string) => eventOf('title: Atelier\ndate: 2025-03-01T10:00:00+01:00', body, FR, 'Europe/Paris').start.toFormat('yyyy-MM-dd HH:mm');
    // The community's default start (19:00) on the date the prose gives; never 02:00.
    expect(after('Rendez-vous le 12 mars 2025 chez Example. Durée 2h, apéro ensuite.')).toBe('2025-03-12 19:00');
    expect(after('Join us on March 12, 2025. The workshop takes 2h.')).toBe('2025-03-12 19:00');
    // A time that says its half of the day, or a morning hour, is still the start.
    expect(after('Rendez-vous le 12 mars 2025 chez Example. Accueil à 18h30.')).toBe('2025-03-12 18:30');
    expect(after('Join us on March 12, 2025. Doors open at 6:30 pm.')).toBe('2025-03-12 18:30');
    expect(after('Rendez-vous le samedi 15 mars 2025 chez Example, à 9h.')).toBe('2025-03-15 09:00');
  });

  it('a later time the text calls the end: "Beginn 18:30 Uhr, Ende ca. 21 Uhr", "doors 6:30 pm, ends around 9:00", "fin vers 21h"', () => {
    const at = (body: string, source: unknown = { languages: ['en', 'de'] }) => span(eventOf('title: T\ndate: 2025-04-20', body, source));
    expect(at('Datum: Di., 13.05.2025 – Beginn 18:30 Uhr, Ende ca. 21 Uhr')).toBe('2025-05-13T18:30 – 2025-05-13T21:00');
    expect(at('Join us on May 13, 2025, doors 6:30 pm, ends around 9:00.')).toBe('2025-05-13T18:30 – 2025-05-13T21:00');
    expect(at('Rendez-vous le 13 mai 2025 à 19h, fin vers 21h30.', FR)).toBe('2025-05-13T19:00 – 2025-05-13T21:30');
    // A later time that is not called the end changes nothing: the default length.
    expect(at('Join us on May 13, 2025 at 6:30 pm. Pizza at 7 pm.')).toBe('2025-05-13T18:30 – 2025-05-13T21:30');
  });
});
