import { escapeHtml } from './page';

/** The page at `/` of a deployment with several communities: each one's name, linking to its own subscribe page. */
export function renderCommunitiesPage(communities: readonly { name: string; path: string }[]): string {
  const items = communities.map((c) => `<li><a href="${escapeHtml(c.path)}">${escapeHtml(c.name)}</a></li>`).join('\n');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Communities</title></head>',
    `<body><h1>Communities</h1><p>Each community's calendar and how to subscribe to it:</p><ul>\n${items}\n</ul></body></html>`,
  ].join('\n');
}

/** Nothing runs on it and nothing loads from elsewhere. */
export const COMMUNITIES_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
