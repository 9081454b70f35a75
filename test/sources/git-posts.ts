/** Hugo posts as the community's website repository holds them, for the git source tests. */

export const SETTINGS = `name: SRE Munich
hashtag: "#sremuc"
contact: muc@sre.xyz
timeZone: Europe/Berlin
website: https://muc.sre.xyz
`;

/** A plain post with explicit front matter: the shape a CI-validated website uses. */
export function post(title: string, eventDate: string, extra = ''): string {
  return `---
title: "${title}"
date: 2026-01-05T10:00:00+01:00
eventDate: ${eventDate}
venue: Celonis
address: Theresienstraße 6, 80333 München
${extra}---

We're excited to announce the next meetup of the SRE Munich group.

## Agenda

* 6:30 pm Doors open
* 7:00 pm Talk 1: Owning your error budget (Ada Lovelace, Example GmbH)
* 9:00 pm Leave happy
`;
}

/** A Hugo section page: not an event, skipped without a word. */
export const SECTION_INDEX = `---
title: Events
---
All our meetups.
`;

/** The first bytes of a PNG, as an image in a page bundle. */
export const IMAGE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
