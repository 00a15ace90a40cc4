/** A channel's place in a resident's order (their own, else the municipality's); unlisted channels come last. */
export function channelRank(channel: string, residentOrder: string, defaultOrder: string): string {
  return `COALESCE(array_position(COALESCE(${residentOrder}, ${defaultOrder}::text[]), ${channel}), 1000)`;
}
