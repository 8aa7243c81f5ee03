// How children's household links read from each side.

/**
 * How a link recorded on the other child's record (it lists this child as `recorded`) reads from this child's
 * side. Only relationships that are the same both ways are turned round; "older brother" or "nephew" would
 * need facts we do not have, so those say only where the link is recorded.
 */
export function reverseRelationship(recorded: string, recordedOnName: string): string {
  const m = /^(half|step|foster)?[- ]?(sibling|brother|sister|twin|twin brother|twin sister|cousin)$/.exec(recorded.trim().toLowerCase());
  if (!m) return `linked in ${recordedOnName}’s household`;
  const kind = m[2] === 'cousin' ? 'cousin' : m[2]!.startsWith('twin') ? 'twin' : 'sibling';
  return m[1] ? `${m[1]}-${kind}` : kind;
}

/** A sibling link as this child's page (or a referral about this child) shows it; `otherName` null when not to be named. */
export function relationshipFromThisSide(link: { relationship: string; reverse: boolean }, otherName: string | null): string {
  const text = link.reverse ? reverseRelationship(link.relationship, otherName ?? 'another child') : link.relationship;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
