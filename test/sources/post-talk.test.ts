import { parseMarkdownEvent } from '../../src/sources/markdown';
import { makeSettings } from '../helpers/events';

/** Posts that name their talks without an agenda or talk headings, in shapes of several communities and languages. */
function talksOf(title: string, body: string): string[] {
  const text = `---\ntitle: "${title}"\neventDate: 2025-04-14\nstart: "18:30"\n---\n${body}\n`;
  const result = parseMarkdownEvent(text, { file: 'events/x.md', settings: makeSettings() });
  if (!result.event) throw new Error(JSON.stringify(result.diagnostics));
  return result.event.talks.map((t) => `${t.title} — ${t.speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)).join(', ')}`);
}

describe('talks named in a post without an agenda', () => {
  it('a line-up in prose: each paragraph that starts with its speakers (after "Then", "Finally") is a talk', () => {
    expect(talksOf('Spring meetup', ['We meet again!', '', 'Jane Doe from Acme takes us through tracing at scale. It is fun.', '', 'Then John Smith will show his home lab.', '', 'See you there.'].join('\n'))).toEqual([
      'Jane Doe from Acme takes us through tracing at scale — Jane Doe (Acme)',
      'Then John Smith will show his home lab — John Smith',
    ]);
  });

  it('a title "Speaker about Topic", "Title - Speaker", or a front matter speaker: the post is one talk', () => {
    expect(talksOf('Webinar: Jane Doe about Observability Pipelines', 'Join us online.')).toEqual(['Observability Pipelines — Jane Doe']);
    expect(talksOf('Clean Code and the Brain - Yoan Thirion', 'A talk.')).toEqual(['Clean Code and the Brain — Yoan Thirion']);
    expect(talksOf('SRE Munich Summer Event', 'We meet at the office. Drinks are on us.')).toEqual([]);
  });
});
