/**
 * Which community a stored row belongs to. '' is the single community of a one-community set-up (and every row
 * written before there were several), so its keys and rows are exactly what they always were; any other
 * community's keys in shared key spaces (bot_state, delivery keys) start with `<slug>/`.
 */
export type CommunityId = string;

export const SINGLE_COMMUNITY: CommunityId = '';

/** The prefix of a community's keys in key spaces shared by all communities. */
export function keyPrefix(community: CommunityId): string {
  return community === SINGLE_COMMUNITY ? '' : `${community}/`;
}
