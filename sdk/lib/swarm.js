// What the SDK reads off the swarm: the tracker's coded notices and rendition ids.

const NOTICE = /\(([A-Z][A-Z0-9_]{0,39})(?: token=([A-Za-z0-9_-]{1,64}))?\)\s*$/;

/**
 * The code (and, for refusals about a token, that token's fingerprint) our tracker puts at the end of
 * every failure reason and warning: "p2p is off for this stream (KILL_SWITCH)". Null for other text.
 */
export function trackerNotice(message) {
  const match = NOTICE.exec(String(message ?? ''));
  return match ? { code: match[1], token: match[2] ?? null } : null;
}

/** The tracker names a token by its last eight characters, so a notice about an older token can be told apart. */
export function tokenFingerprint(token) {
  return token ? token.slice(-8) : null;
}

const RENDITION_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The stream's rendition id for the level the player is on: the one with the same resolution, else
 * the nearest bitrate; without configured renditions, "<height>p".
 */
export function renditionOf(level, renditions) {
  if (!level) return null;
  const list = renditions ?? [];
  const resolution = level.width && level.height ? `${level.width}x${level.height}` : null;
  const sameResolution = list.filter((rendition) => resolution && rendition.resolution === resolution);
  const candidates = sameResolution.length > 0 ? sameResolution : list.filter((rendition) => rendition.bitrate);
  if (candidates.length > 0 && level.bitrate) {
    const nearest = candidates.reduce((best, rendition) =>
      Math.abs((rendition.bitrate ?? 0) - level.bitrate) < Math.abs((best.bitrate ?? 0) - level.bitrate) ? rendition : best);
    return nearest.id;
  }
  if (sameResolution.length > 0) return sameResolution[0].id;
  const named = level.height ? `${level.height}p` : null;
  return named && RENDITION_ID.test(named) ? named : null;
}
