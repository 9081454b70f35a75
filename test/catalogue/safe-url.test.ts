import { linkLabel, safeUrl, splitBareUrls } from '../../src/catalogue/safe-url';
import { presentAgenda } from '../../src/chat/present/event';
import { renderMessage as renderSlack } from '../../src/chat/slack/render';
import { renderMessage as renderDiscord } from '../../src/chat/discord/render';
import { parseMarkdownEvent } from '../../src/sources/markdown';
import { parseYamlEvent } from '../../src/sources/yaml-event';
import { makeSettings } from '../helpers/events';
import { TEST_FEEDS } from '../helpers/services';
import { url } from '../helpers/url';

const WEBSITE = 'https://muc.sre.xyz';

describe('safeUrl: the one way to make a link', () => {
  it('accepts http, https and mailto, and resolves site paths against the website', () => {
    expect(safeUrl('https://muc.sre.xyz/posts/x/')).toBe('https://muc.sre.xyz/posts/x/');
    expect(safeUrl('http://example.com/a?b=1&c=2')).toBe('http://example.com/a?b=1&c=2');
    expect(safeUrl('mailto:muc@sre.xyz')).toBe('mailto:muc@sre.xyz');
    expect(safeUrl('/slides/2024_07/clickhouse.pdf', WEBSITE)).toBe('https://muc.sre.xyz/slides/2024_07/clickhouse.pdf');
    expect(safeUrl('slides/x.pdf', `${WEBSITE}/`)).toBe('https://muc.sre.xyz/slides/x.pdf');
    expect(safeUrl('//cdn.example/x')).toBe('https://cdn.example/x');
    expect(safeUrl('www.example.com/x')).toBe('https://www.example.com/x');
  });

  it('refuses mentions, other schemes, credentials, and site paths without a website', () => {
    for (const bad of ['!channel', '!subteam^S1', '@U1', '#C1', 'javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'slack://open', 'https://muc.sre.xyz@evil.example/', 'mailto:<!channel>', 'mailto:a b@c.org', 'mailto:@everyone', '', 'Temporal.io']) {
      expect([bad, safeUrl(bad, WEBSITE)]).toEqual([bad, undefined]);
    }
    expect(safeUrl('/slides/x.pdf')).toBeUndefined();
  });

  it('percent-encodes what chats read as markup after the host', () => {
    expect(safeUrl('https://x.example/a`b|c[d]/@everyone')).toBe('https://x.example/a%60b%7Cc%5Bd%5D/%40everyone');
    expect(safeUrl('https://x.example/<@U1> "x"')).toBe('https://x.example/%3C@U1%3E%20%22x%22');
  });

  it('a label naming another host shows the target host; other labels stay', () => {
    expect(linkLabel('paypal.com', url('https://evil.example/login'))).toBe('evil.example');
    expect(linkLabel('https://muc.sre.xyz/x', url('https://evil.example/'))).toBe('evil.example');
    expect(linkLabel('youtube.com', url('https://www.youtube.com/watch?v=1'))).toBe('youtube.com');
    expect(linkLabel('sre.xyz', url('https://muc.sre.xyz/'))).toBe('sre.xyz');
    expect(linkLabel('Slides', url('https://evil.example/'))).toBe('Slides');
    expect(linkLabel('muc@sre.xyz', url('mailto:muc@sre.xyz'))).toBe('muc@sre.xyz');
    expect(linkLabel('', url('mailto:muc@sre.xyz'))).toBe('muc@sre.xyz');
  });

  it('finds bare URLs in text without their closing punctuation, and skips ones that fail', () => {
    expect(splitBareUrls('see https://muc.sre.xyz/a. and https://x@evil.example/ (https://b.example/c)')).toEqual([
      'see ', { url: 'https://muc.sre.xyz/a' }, '. and https://x@evil.example/ (', { url: 'https://b.example/c' }, ')',
    ]);
  });
});

describe('a slides link without a scheme (the issue’s example) is no link anywhere', () => {
  const settings = makeSettings();
  const post = ['---', 'title: "Meetup"', 'eventDate: 2030-07-10T18:30:00+02:00', '---', '', 'Hello.', '', '## Slides', '', '* Slides: [Kick-off](!channel)', '* [Talk](/slides/talk.pdf)', '* [Evil](javascript:alert(1))'].join('\n');

  it('Markdown: only the site path survives, resolved on the website', () => {
    const event = parseMarkdownEvent(post, { file: 'events/m.md', settings }).event!;
    expect(event.slides).toEqual([{ label: 'Talk', url: 'https://muc.sre.xyz/slides/talk.pdf' }]);
    const slack = JSON.stringify(renderSlack(presentAgenda(event, settings, TEST_FEEDS)));
    expect(slack).not.toMatch(/<!channel|javascript:/);
    expect(JSON.stringify(renderDiscord(presentAgenda(event, settings, TEST_FEEDS)))).not.toMatch(/\]\((?!https?:)/);
  });

  it('YAML: url: "!channel" is dropped the same way', () => {
    const yaml = ['title: Meetup', 'start: "2030-07-10 18:30"', 'slides: [{ label: Kick-off, url: "!channel" }, { label: Deck, url: /slides/deck.pdf }]', 'recordings: [{ label: R, url: "<!subteam^S1|x>" }]'].join('\n');
    const event = parseYamlEvent(yaml, { file: 'events/m.yml', settings }).event!;
    expect(event.slides).toEqual([{ label: 'Deck', url: 'https://muc.sre.xyz/slides/deck.pdf' }]);
    expect(event.recordings).toEqual([]);
  });
});
