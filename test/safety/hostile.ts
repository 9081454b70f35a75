import fc from 'fast-check';
import { parseMarkdownEvent } from '../../src/sources/markdown';
import { parseYamlEvent } from '../../src/sources/yaml-event';
import type { MeetupEvent } from '../../src/catalogue/event';
import type { CommunitySettings } from '../../src/catalogue/settings';
import { bold, code, link, message, type Button, type MessageModel, type RichText, type Span } from '../../src/chat/message';
import { makeEvent, makeSettings } from '../helpers/events';

/** One seed for every property: a failure prints the counterexample and replays with the same seed. */
export const FC_PARAMS = { seed: Number(process.env.FC_SEED ?? 20240710), numRuns: Number(process.env.FC_RUNS ?? 150) };

/** Every way we know of to ping, spoof or smuggle a link on Slack, Discord, in a calendar or a page. */
const ATTACKS = [
  // Slack mentions and link syntax
  '<!channel>', '<!here>', '<!everyone>', '<!subteam^S1|x>', '<!subteam^S1>', '<@U1>', '<@U1|x>', '<#C1>', '<#C1|general>',
  '!channel', '!here', '@U1', 'subteam^S1', '<javascript:alert(1)|x>', '<https://evil.example|x>', '<mailto:a@evil.example|x>',
  '<!date^1^{date}|x>',
  // Discord mentions and markdown
  '@everyone', '@here', '@channel', '<@123>', '<@!123>', '<@&123>', '<#123>', '</agenda:1>', '<t:1:F>', '<:e:1>',
  '[x](javascript:alert(1))', '[x](!channel)', '[paypal.com](https://evil.example/)', '[x](<https://evil.example>)', '](', '[',
  // markup control characters
  '*', '**', '*bold*', '_', '__', '_i_', '~', '~~', '`', '```', '|', '||', '>', '> ', '# ', '-# ', '- ', '1. ', '\\', '\\*', '&', '&amp;', '&lt;',
  '\n', '\n> ', '\n# ', ' ', '\t', '\u200d', '\u200b', '\u202e', '\u0000', '\u001b[31m', '\r\n', ':white_check_mark:',
  // link targets that must never become links
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'file:///etc/passwd', 'slack://open',
  'https://muc.sre.xyz@evil.example/', '//evil.example/x', 'www.evil.example', 'paypal.com', 'https://evil.example/@everyone',
  'https://evil.example/a_b*c~d|e', 'https://evil.example/<@U1>', 'mailto:a@evil.example', 'mailto:<!channel>',
  // ICS and HTML
  '\r\nBEGIN:VEVENT\r\n', 'END:VCALENDAR', ';', ',', '"', "'", '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
];

/** A hostile string: attacks glued together with arbitrary text. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ATTACKS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

/** A value someone put where a URL belongs: attacks, real-looking URLs, site paths. */
export const hostileUrl: fc.Arbitrary<string> = fc.oneof(
  hostileText,
  fc.constantFrom('https://muc.sre.xyz/slides/x.pdf', '/slides/2024_07/x.pdf', 'slides/x.pdf', 'mailto:muc@sre.xyz', 'http://example.com/a?b=1&c=2', 'https://example.com/a(b)'),
  fc.tuple(fc.constantFrom('https://evil.example/', '/slides/', 'mailto:'), hostileText).map(([a, b]) => a + b),
);

/** link() is the public way to make a link (it checks); what it returns is a link span or plain text. */
function asLink(span: Span): Extract<Span, { kind: 'link' }> | undefined {
  return typeof span !== 'string' && span.kind === 'link' ? span : undefined;
}

/** A hand-built message model with hostile text and URLs in every place a model has. */
export const hostileModel: fc.Arbitrary<MessageModel> = fc
  .record({
    title: hostileText,
    titleUrl: hostileUrl,
    intro: fc.array(fc.tuple(hostileText, hostileText, hostileUrl), { minLength: 1, maxLength: 3 }),
    heading: hostileText,
    body: hostileText,
    field: fc.tuple(hostileText, hostileText),
    links: fc.array(fc.tuple(hostileUrl, hostileText), { maxLength: 3 }),
    button: fc.tuple(hostileText, hostileUrl),
    footer: hostileText,
  })
  .map((r) => {
    const intro: RichText = r.intro.flatMap(([text, label, url]) => [text, bold(label), ' ', link(url, label), ' ', code(text)]);
    const title = asLink(link(r.titleUrl, 'x'));
    const button = asLink(link(r.button[1], 'x'));
    const buttons: Button[] = [{ id: 'x:y', label: r.button[0] }, ...(button ? [{ id: 'x:link', label: r.button[0], url: button.url }] : [])];
    return message({
      title: r.title,
      titleUrl: title?.url,
      intro,
      sections: [{ heading: r.heading, body: [r.body] }],
      fields: [{ name: r.field[0], value: [r.field[1]] }],
      links: r.links.flatMap(([url, label]) => {
        const span = asLink(link(url, label));
        return span ? [{ label: span.label, url: span.url }] : [];
      }),
      buttons,
      footer: [r.footer],
    });
  });

/** Settings as an organizer might (mis)write them: every text hostile. */
export const hostileSettings: fc.Arbitrary<CommunitySettings> = fc
  .record({ name: hostileText, hashtag: hostileText, contact: hostileText, submitUrl: hostileUrl })
  .map((r) => {
    const base = makeSettings();
    return makeSettings({ name: r.name, hashtag: r.hashtag, contact: r.contact, cfp: { ...base.cfp, submitUrl: r.submitUrl } });
  });

const postParts = fc.record({
  title: hostileText,
  prose: hostileText,
  agenda: fc.array(hostileText, { minLength: 1, maxLength: 3 }),
  talk: hostileText,
  speaker: hostileText,
  abstract: hostileText,
  slides: fc.array(fc.tuple(hostileText, hostileUrl), { minLength: 1, maxLength: 3 }),
  venue: hostileText,
  online: hostileUrl,
});

const yamlString = (s: string) => JSON.stringify(s);
const markdownLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/**
 * Hostile events as organizers' files produce them: a Markdown post and a YAML event run through the real
 * readers, so links take the path they take in production (slides, recordings, site paths, the page URL).
 */
export const hostileEvent: fc.Arbitrary<MeetupEvent> = fc.tuple(postParts, fc.boolean()).map(([p, asYaml]) => {
  const settings = makeSettings();
  const parsed = asYaml
    ? parseYamlEvent(
        [
          `title: ${yamlString(p.title)}`,
          'start: "2030-07-10 18:30"',
          `venue: ${yamlString(p.venue)}`,
          `online: ${yamlString(p.online)}`,
          `summary: ${yamlString(p.prose)}`,
          'talks:',
          `  - title: ${yamlString(p.talk)}`,
          `    speakers: [{ name: ${yamlString(p.speaker)} }]`,
          `    abstract: ${yamlString(p.abstract)}`,
          `    slides: [${p.slides.map(([label, url]) => `{ label: ${yamlString(label)}, url: ${yamlString(url)} }`).join(', ')}]`,
          `slides: [${p.slides.map(([label, url]) => `{ label: ${yamlString(label)}, url: ${yamlString(url)} }`).join(', ')}]`,
          `recordings: [${p.slides.map(([label, url]) => `{ label: ${yamlString(label)}, url: ${yamlString(url)} }`).join(', ')}]`,
        ].join('\n'),
        { file: 'events/hostile.yml', settings },
      )
    : parseMarkdownEvent(
        [
          '---',
          `title: ${yamlString(p.title)}`,
          'eventDate: 2030-07-10T18:30:00+02:00',
          `venue: ${yamlString(p.venue)}`,
          `online: ${yamlString(p.online)}`,
          '---',
          '',
          markdownLine(p.prose),
          '',
          '## Agenda',
          '',
          ...p.agenda.map((a) => `* 7:00 pm ${markdownLine(a)}`),
          `* 7:10 pm Talk 1: ${markdownLine(p.talk)} (${markdownLine(p.speaker)}, Acme)`,
          '',
          '## Abstracts',
          '',
          `### Talk 1: ${markdownLine(p.talk)}`,
          '',
          markdownLine(p.abstract),
          '',
          `Slides: ${p.slides.map(([label, url]) => `[${markdownLine(label)}](${markdownLine(url)})`).join(', ')}`,
          '',
          '## Slides',
          '',
          ...p.slides.map(([label, url]) => `* [${markdownLine(label)}](${markdownLine(url)})`),
          ...p.slides.map(([label, url]) => `* ${markdownLine(label)}: ${markdownLine(url)}`),
          '',
          '## Recordings',
          '',
          ...p.slides.map(([label, url]) => `* ${markdownLine(label)}: ${markdownLine(url)}`),
        ].join('\n'),
        { file: 'events/hostile.md', settings },
      );
  // A file the reader refuses has no event; the hand-built one still carries the hostile text.
  return parsed.event ?? makeEvent({ title: p.title, venue: p.venue, summary: p.prose });
});
