import { readDataFile } from '../../src/sources/data-file';
import { readPost } from '../../src/sources/markdown';
import { makeSettings } from '../helpers/events';

const settings = makeSettings({ timeZone: 'Europe/Copenhagen', source: { dataFiles: {} } });
/** "line: severity: message", the message cut after its first words (the rest is advice, tested elsewhere). */
const lines = (text: string, file: string, s = settings) => readDataFile(text, { file, settings: s }).diagnostics.map((d) => `${d.line}: ${d.severity}: ${d.message.split(' ').slice(0, 4).join(' ')}`);

describe('data files name the line of the record or key at fault', () => {
  it('events.toml: the n-th [[past]] header, or the key line under it (smol-toml keeps no positions)', () => {
    const toml = '[[upcoming]]\ntitle = "A"\ndate = 2024-10-31T18:00:00+02:00\n\n[[past]]\ntitle = "B"\n\n[[past]]\ntitle = "C"\ndate = "soon"\n';
    expect(lines(toml, 'events/events.toml')).toEqual([
      '3: warning: "A" says +02:00, but',
      '5: error: "B" has no date:',
      '10: error: "C" has a date',
    ]);
  });

  it('one JSON per meeting: the key line, through the yaml library\'s ranges (JSON is YAML)', () => {
    expect(lines('{\n  "title": "X",\n\n  "date": "2024-13-40"\n}\n', 'events/x.json')).toEqual(['4: error: "X" has a date']);
    expect(lines('{\n  "title": "X",\n  "date": "2024-01-01",\n}\n', 'events/x.json')[0]).toMatch(/^4: error: Not valid JSON/);
  });

  it('events.yml: the record\'s date key, or the record when it has none', () => {
    expect(lines('- id: 1\n  title: X\n  date: "2024-02-30"\n- id: 2\n  title: Y\n', 'events/events.yml')).toEqual([
      '3: error: "X" has a date',
      '4: error: "Y" has no date:',
    ]);
  });

  it('an agenda problem inside a record is at the agenda key', () => {
    const toml = '[[past]]\ntitle = "A"\ndate = 2024-10-31T18:00:00\ncontent = """<p>18:00 Doors</p><p>25:00 Late</p>"""\n';
    expect(lines(toml, 'events/events.toml', makeSettings({ timeZone: 'Europe/Copenhagen', source: { dataFiles: { agenda: ['content'] } } }))).toEqual(['4: error: "25:00" is not a']);
  });

  it('a Statamic body (a Bard document in the front matter) names the YAML line of the text node', () => {
    const post = [
      '---', 'title: T', 'date_start: "2024-03-21"', 'time_start: "18:00"', 'content:', '  -', '    type: heading', '    attrs:', '      level: 3', '    content:', '      -', '        type: text', '        text: Programma', '  -', '    type: paragraph', '    content:',
      '      -', '        type: text', "        text: '18:00 | Inloop'", '      -', '        type: hard_break', '      -', '        type: text', "        text: '25:00 | Afsluiting'", '---', '',
    ].join('\n');
    const s = makeSettings({ timeZone: 'Europe/Amsterdam', source: { bodyKey: 'content', frontMatter: { eventDate: ['date_start'], start: ['time_start'], published: [] } } });
    const result = readPost(post, { file: 'events/t.md', settings: s });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line)).toEqual([24]);
  });
});
