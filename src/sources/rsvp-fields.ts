import { z } from 'zod';
import type { EventRsvp } from '../catalogue/event';
import { atWallTime, parseWallDateTime } from './time';

/**
 * The `rsvp:` key of a post's front matter or a YAML event: members can RSVP in chat (`rsvp: true`), and what
 * the host needs:
 *
 *   rsvp:
 *     capacity: 50                  # seats; later RSVPs join the waitlist
 *     realName: true                # the host registers guests by their real name (asked once, in a form)
 *     deadline: "2025-04-10 12:00"  # no new RSVPs after this (a date alone: the end of that day)
 *     question: Any dietary needs?  # asked in the RSVP form; answers are for organizers only
 */
export const RsvpFieldsSchema = z.preprocess(
  // `rsvp: true` is the block with every default.
  (value) => (value === true ? {} : value),
  z
    .object(
      {
        capacity: z.number({ invalid_type_error: 'capacity should be a whole number of seats, e.g. capacity: 50.' }).int().positive().max(100_000).optional(),
        realName: z.boolean({ invalid_type_error: 'realName should be true or false.' }).default(false),
        deadline: z
          .string({ invalid_type_error: 'deadline should be a date: write "2025-04-10" or "2025-04-10 12:00".' })
          .refine((v) => parseWallDateTime(v, 'UTC') !== undefined, { message: 'deadline is not a date: write "2025-04-10" or "2025-04-10 12:00".' })
          .optional(),
        question: z.string().trim().min(1).max(200, { message: 'question is too long: at most 200 characters (it is a form label).' }).optional(),
      },
      { invalid_type_error: 'rsvp should be true, or a block with capacity, realName, deadline and question.' },
    )
    .strict(),
);

export type RsvpFields = z.infer<typeof RsvpFieldsSchema>;

/** The event model's RSVP settings, with the deadline as an instant in the community's zone. */
export function toEventRsvp(fields: RsvpFields | undefined, zone: string): EventRsvp | undefined {
  if (fields === undefined) return undefined;
  const wall = fields.deadline !== undefined ? parseWallDateTime(fields.deadline, zone) : undefined;
  const deadline = wall ? atWallTime(wall.date, wall.time ?? { hour: 23, minute: 59 }, zone) : undefined;
  return { capacity: fields.capacity, realName: fields.realName, deadline, question: fields.question };
}
