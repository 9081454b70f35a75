import type { MeetupEvent } from '../../src/catalogue/event';
import { parseMarkdownEvent, type ParsedFile } from '../../src/sources/markdown';
import { parseSections } from '../../src/sources/markdown-tree';
import type { Diagnostic } from '../../src/sources/diagnostics';
import { makeSettings } from '../helpers/events';

const FILE = 'events/x.md';
const parse = (text: string): ParsedFile => parseMarkdownEvent(text, { file: FILE, settings: makeSettings() });
function eventOf(text: string): MeetupEvent {
  const result = parse(text);
  if (!result.event) throw new Error(`no event: ${JSON.stringify(result.diagnostics)}`);
  return result.event;
}
const times = (e: MeetupEvent) => e.agenda.map((a) => `${a.start?.toFormat('HH:mm') ?? '--:--'} ${a.title}`);
const FRONT = '---\ntitle: "Meetup at Example"\neventDate: 2025-04-14\n---\n';

describe('sections from the markdown-it syntax tree', () => {
  it('setext headings are headings; a "## ..." inside a fence is not; every line keeps its file line', () => {
    const sections = parseSections(['Intro', '', 'Agenda', '------', '', '* 18:30 Doors', '', '```', '## not a heading', '```', '', '# Talks', 'text'].join('\n'), 5);
    expect(sections.map((s) => `${s.level}:${s.title}@${s.line}`)).toEqual(['0:@5', '2:Agenda@7', '1:Talks@16']);
    expect(sections[1]!.lines.find((l) => l.text === '* 18:30 Doors')).toMatchObject({ line: 10, depth: 1, item: true });
    expect(sections[1]!.lines.some((l) => l.text === '## not a heading' && l.line === 13)).toBe(true);
  });

  it('HTML cards (MkDocs) read as headings and lines at their own file lines; links stay links', () => {
    const html = ['<div class="event-details">', '  <div class="detail-card">', '    <h3><i class="fas fa-calendar"></i> Fecha</h3>', '    <p>Martes 12 de Septiembre, 2023</p>', '  </div>', '  <p><a href="https://meetup.com/x">¡Regístrate aquí!</a></p>', '</div>'].join('\n');
    const sections = parseSections(`Hola\n\n${html}\n`, 3);
    expect(sections.map((s) => `${s.level}:${s.title}@${s.line}`)).toEqual(['0:@3', '3:Fecha@7']);
    expect(sections[1]!.lines.filter((l) => l.text !== '')).toEqual([
      { text: 'Martes 12 de Septiembre, 2023', line: 8 },
      { text: '[¡Regístrate aquí!](https://meetup.com/x)', line: 10 },
    ]);
  });

  it('keeps the content of a paired Hugo shortcode, drops others with an info on their line, and later lines keep their numbers', () => {
    const diagnostics: Diagnostic[] = [];
    const body = ['{{< figure src="a.png"', '  alt="multi-line" >}}', '## Agenda', '{{< agenda >}}', '* 18:30 Doors', '* 19:00 Welcome', '{{< /agenda >}}', '{{% notice %}}'].join('\n');
    const sections = parseSections(body, 10, FILE, diagnostics);
    expect(sections[1]).toMatchObject({ title: 'Agenda', line: 12 });
    expect(sections[1]!.lines.filter((l) => l.text !== '').map((l) => `${l.line} ${l.text}`)).toEqual(['14 * 18:30 Doors', '15 * 19:00 Welcome']);
    expect(diagnostics).toEqual([
      expect.objectContaining({ line: 10, severity: 'info', message: expect.stringContaining('{{< figure src="a.png" alt="multi-line" >}}') }),
      expect.objectContaining({ line: 17, severity: 'info', message: expect.stringContaining('{{% notice %}}') }),
    ]);
  });

  it('nested bullets under an agenda item are its speakers, slides and description, never items of their own', () => {
    const e = eventOf(
      FRONT +
        [
          '## Agenda',
          '',
          '- 18:00 Doors open',
          '- 18:30 Scaling Postgres without tears',
          '  - Speaker: Jane Doe (Acme)',
          '  - [Slides](slides/postgres.pdf)',
          '  - A tour of partitioning and connection pooling.',
          '- 19:15 Observability for the rest of us',
          '  - Max Mustermann, Example GmbH',
          '  - Slides: https://example.com/o11y.pdf',
          '- 20:00 Networking',
          '  - pizza and drinks',
        ].join('\n'),
    );
    expect(times(e)).toEqual(['18:00 Doors open', '18:30 Scaling Postgres without tears', '19:15 Observability for the rest of us', '20:00 Networking']);
    expect(e.talks).toEqual([
      expect.objectContaining({ title: 'Scaling Postgres without tears', speakers: [{ name: 'Jane Doe', company: 'Acme' }], abstract: 'A tour of partitioning and connection pooling.', slides: [{ label: 'Slides', url: 'https://muc.sre.xyz/posts/x/slides/postgres.pdf' }] }),
      expect.objectContaining({ title: 'Observability for the rest of us', speakers: [{ name: 'Max Mustermann', company: 'Example GmbH' }], slides: [{ label: 'Slides', url: 'https://example.com/o11y.pdf' }] }),
    ]);
  });

  it('an agenda indented as a code block (no bullets) is still the agenda', () => {
    const e = eventOf(`${FRONT}# Hack night\n\nThe program for the evening will be:\n\n    18:00: Welcome by Tue Henriksen\n    19:00: Light dinner\n    21:00: Thank you for coming\n`);
    expect(times(e)).toEqual(['18:00 Welcome by Tue Henriksen', '19:00 Light dinner', '21:00 Thank you for coming']);
    expect(e.end.toFormat('HH:mm')).toBe('21:00');
  });
});
