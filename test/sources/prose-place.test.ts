import type { MeetupEvent } from '../../src/catalogue/event';
import { parseMarkdownEvent } from '../../src/sources/markdown';
import { ProfileSchema } from '../../src/sources/profile';
import { makeSettings } from '../helpers/events';

/**
 * A venue written only in a sentence of the announcement, and an announcement that says the meetup itself is
 * online, in the communities' languages; mentions of online that are about something else change nothing.
 */
function eventOf(body: string, languages = ['en', 'de'], title = 'Meetup March 2025'): MeetupEvent {
  const settings = { ...makeSettings(), source: ProfileSchema.parse({ languages }) };
  const result = parseMarkdownEvent(`---\ntitle: "${title}"\ndate: 2025-03-01T10:00:00+01:00\neventDate: 2025-03-20\n---\n${body}\n\n## Agenda\n* 18:30 Doors open\n* 19:00 Talk`, { file: 'events/meetup.md', settings });
  if (!result.event) throw new Error(`no event: ${JSON.stringify(result.diagnostics)}`);
  return result.event;
}
const where = (e: MeetupEvent) => ({ venue: e.venue, address: e.address, online: e.online !== undefined });

describe('a venue in a sentence', () => {
  it('English: "We meet at **Example Labs**, 1 High Street, Munich", "Join us at the Impact Hub", a link as the name', () => {
    expect(where(eventOf('Spring is here! We meet at **Example Labs**, 1 High Street, Munich. Pizza is on us.'))).toEqual({ venue: 'Example Labs', address: '1 High Street, Munich', online: false });
    expect(where(eventOf('Join us at the Impact Hub Munich for an evening of talks.'))).toEqual({ venue: 'Impact Hub Munich', address: undefined, online: false });
    expect(where(eventOf("This time we'll be meeting at [Example Labs](https://example.com/labs), Theresienstr. 6, 80333 München."))).toEqual({ venue: 'Example Labs', address: 'Theresienstr. 6, 80333 München', online: false });
    // The day and time between the phrase and the place are not the place.
    expect(where(eventOf('Join us on Thursday, May 15th at 6:30pm at **Acme Corp**, 123 Main St, Boston, MA.'))).toEqual({ venue: 'Acme Corp', address: '123 Main St, Boston, MA', online: false });
  });

  it('German: "Wir treffen uns bei Example Labs, Hauptstraße 1, München", "Wir sind diesmal zu Gast bei ..."', () => {
    expect(where(eventOf('Wir treffen uns bei Example Labs, Hauptstraße 1, 80331 München. Für Getränke ist gesorgt.'))).toEqual({ venue: 'Example Labs', address: 'Hauptstraße 1, 80331 München', online: false });
    expect(eventOf('Wir sind diesmal zu Gast bei **Muster & Söhne GmbH** in der Innenstadt.').venue).toBe('Muster & Söhne GmbH');
    expect(eventOf('Unser nächstes Treffen findet am Mittwoch, 14.05.2025 um 18:30 Uhr bei der Firma Beispiel statt.').venue).toBe('Firma Beispiel');
    // An article before the marked name ("bei der **codecentric AG**"): the name is still the marked one.
    expect(where(eventOf('Am 5. November treffen wir uns bei der **codecentric AG**, Kreuzstraße 16, 80331 München.'))).toEqual({ venue: 'codecentric AG', address: 'Kreuzstraße 16, 80331 München', online: false });
    expect(eventOf('Join us at the [Impact Hub](https://impacthub.net) for talks.').venue).toBe('Impact Hub');
  });

  it('French: "Nous nous retrouverons chez Example, 12 rue des Tanneurs, Strasbourg", "Rendez-vous au Shadok"', () => {
    expect(where(eventOf('Nous nous retrouverons chez Example, 12 rue des Tanneurs, Strasbourg. Inscrivez-vous vite !', ['fr']))).toEqual({ venue: 'Example', address: '12 rue des Tanneurs, Strasbourg', online: false });
    expect(eventOf('Rendez-vous au Shadok pour un dojo de programmation.', ['fr']).venue).toBe('Shadok');
    expect(where(eventOf('Rendez-vous le jeudi 15 mai 2025 à 19h chez **Alsace Digitale**, 1 rue de la Course, Strasbourg.', ['fr']))).toEqual({ venue: 'Alsace Digitale', address: '1 rue de la Course, Strasbourg', online: false });
  });

  it('an abbreviation in the address is not the end of the sentence: "Av. Reforma 222", "Nr. 5"', () => {
    expect(where(eventOf('El jueves nos vemos en **Wizeline**, Av. Reforma 222, CDMX. Habrá pizza.', ['es']))).toEqual({ venue: 'Wizeline', address: 'Av. Reforma 222, CDMX', online: false });
    expect(where(eventOf('Wir treffen uns bei **Example**, Hauptstr. Nr. 5, München. Bis bald!'))).toEqual({ venue: 'Example', address: 'Hauptstr. Nr. 5, München', online: false });
    // The same on a "Location:" line.
    expect(where(eventOf('Location: Wizeline, Av. Reforma 222, CDMX. Bring your ID.'))).toEqual({ venue: 'Wizeline', address: 'Av. Reforma 222, CDMX', online: false });
  });

  it('Italian, Portuguese, Swedish: "Ci vediamo presso ...", "Nos vemos na ...", "Vi ses hos ..."', () => {
    expect(where(eventOf('Ci vediamo presso **Talent Garden**, Via Merano 16, Milano.', ['it']))).toEqual({ venue: 'Talent Garden', address: 'Via Merano 16, Milano', online: false });
    expect(where(eventOf('Nos vemos na **Casa do Código**, Rua Augusta 1, São Paulo.', ['pt']))).toEqual({ venue: 'Casa do Código', address: 'Rua Augusta 1, São Paulo', online: false });
    expect(where(eventOf('Vi ses hos Spotify, Regeringsgatan 19, Stockholm.', ['sv']))).toEqual({ venue: 'Spotify', address: 'Regeringsgatan 19, Stockholm', online: false });
  });

  it('a location section, a "Location:" or 📍 line and the front matter still win; a sentence with no name in capitals is no venue', () => {
    expect(eventOf('We meet at Example Labs, 1 High Street.\n\n## Location\nOther Place, 2 Low Street').venue).toBe('Other Place');
    expect(eventOf('We meet at Example Labs.\n\nLocation: Other Place, 2 Low Street').venue).toBe('Other Place');
    // A pin for the label, with or without a word after it.
    expect(where(eventOf('📅 Donnerstag, 10. April 2025\n📍 Bar AG, Sonnenstraße 1, München'))).toEqual({ venue: 'Bar AG', address: 'Sonnenstraße 1, München', online: false });
    expect(where(eventOf('- **📍 Ort:** Baz KG, Weg 2, München'))).toEqual({ venue: 'Baz KG', address: 'Weg 2, München', online: false });
    expect(eventOf('We meet at our usual place, as always.').venue).toBeUndefined();
    // The title's host stays, unless the sentence names it too and says where it is.
    expect(where(eventOf('Join us at KubeCon Europe next week as well!', ['en'], 'SRE Munich at Example 2025'))).toMatchObject({ venue: 'Example', address: undefined });
    expect(where(eventOf('We meet at Example Munich, Erika-Mann-Str. 33, 80636 München.', ['en'], 'SRE Munich at Example 2025'))).toMatchObject({ venue: 'Example Munich', address: 'Erika-Mann-Str. 33, 80636 München' });
    expect(where(eventOf("This time we will meet at Example's office, Erika-Mann-Straße 33, München.", ['en'], 'SRE Munich at Example 2025'))).toMatchObject({ venue: 'Example', address: 'Erika-Mann-Straße 33, München' });
  });
});

describe('online in a sentence', () => {
  it('"diesmal online", "this time online", "en ligne", "aura lieu en ligne", "esta vez en línea": online, at the event page', () => {
    expect(where(eventOf('Das Meetup findet diesmal online statt.'))).toEqual({ venue: undefined, address: undefined, online: true });
    expect(where(eventOf('Wir treffen uns diesmal online, den Link gibt es nach der Anmeldung.'))).toMatchObject({ online: true });
    expect(where(eventOf('This time we are taking things online due to the ongoing situation.'))).toMatchObject({ online: true });
    expect(where(eventOf('The meetup will be online only.'))).toMatchObject({ online: true });
    expect(where(eventOf('Cette fois-ci, la session aura lieu en ligne sur Discord.', ['fr']))).toMatchObject({ online: true });
    expect(where(eventOf('Rendez-vous en ligne à partir de 12h.', ['fr']))).toMatchObject({ online: true });
    expect(where(eventOf('Esta vez el meetup será en línea.', ['es']))).toMatchObject({ online: true });
  });

  it('a title naming a host is no place when the prose says this time online', () => {
    expect(where(eventOf('Diesmal online: Example ist unser Gastgeber, aber wir treffen uns diesmal online.', ['de', 'en'], 'SRE Munich at Example 2025'))).toEqual({ venue: undefined, address: undefined, online: true });
  });

  it('online said in passing is not an online meetup: slides, recordings, past virtual events, "en ligne ou présentiel"', () => {
    const venueOf = (body: string, languages?: string[]) => where(eventOf(body, languages, 'SRE Munich at Example 2025'));
    expect(venueOf('The slides will be online after the meetup.')).toEqual({ venue: 'Example', address: undefined, online: false });
    expect(venueOf('After many months of virtual events and meetings, this edition finally reverts to an in-person event.')).toMatchObject({ venue: 'Example', online: false });
    expect(venueOf('Die Folien stellen wir danach online.')).toMatchObject({ venue: 'Example', online: false });
    expect(venueOf('Nous déciderons de la prochaine session (en ligne ou présentiel). Les vidéos seront en ligne sur YouTube.', ['fr'])).toMatchObject({ venue: 'Example', online: false });
    expect(venueOf('Register online on meetup.com.')).toMatchObject({ venue: 'Example', online: false });
    expect(venueOf('This time the slides and recordings will be online right after the talks.')).toMatchObject({ venue: 'Example', online: false });
    expect(venueOf('Diesmal wird das Meetup auch online übertragen.')).toMatchObject({ venue: 'Example', online: false });
  });
});
