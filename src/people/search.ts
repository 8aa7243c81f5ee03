// Finding a child: by name (tolerant of misspellings, variants, hyphens and word order), date of birth,
// postcode or NHS number, among the children the user's organisation knows. Other domains call
// searchChildren and getChildForViewer; they write their own audit entries for what they show.
import { canSeeChild, type Principal } from '../platform/access/policy.ts';
import { fromEpochDay, isValidIsoDate, toEpochDay } from '../platform/calendar/iso-date.ts';
import type { Queryable } from '../platform/db/pool.ts';
import { checkNhsNumber, postcodeSearchKey } from './identifiers.ts';
import { MIN_SCORE, nameWords, scoreMatch, type MatchQuery } from './matching.ts';
import { findCandidates, loadChild, type ChildRecord } from './store.ts';

export interface ChildSearchQuery {
  name?: string | null;
  dateOfBirth?: string | null;
  postcode?: string | null;
  nhsNumber?: string | null;
  limit?: number;
}

export interface ChildSearchResult {
  id: string;
  firstName: string;
  lastName: string;
  knownAs: string | null;
  dateOfBirth: string | null;
  expectedDueDate: string | null;
  /** the current (latest) address's postcode */
  postcode: string | null;
  /** 0–100, best first */
  score: number;
}

const FIRST_DAY = toEpochDay('0001-01-01');
const LAST_DAY = toEpochDay('9999-12-31');

/** Dates a mistyped date of birth is most often meant to be: day and month swapped, a year out, a few days out. */
export function nearbyDates(date: string): string[] {
  const out = new Set<string>([date]);
  const [y, m, d] = date.split('-');
  const swapped = `${y}-${d}-${m}`;
  if (isValidIsoDate(swapped)) out.add(swapped);
  for (const dy of [-1, 1]) {
    const other = `${String(Number(y) + dy).padStart(4, '0')}-${m}-${d}`;
    if (isValidIsoDate(other)) out.add(other);
  }
  // Only neighbours that are real dates: a few days before 1 January 0001 would be year 0, which the database refuses.
  const day = toEpochDay(date);
  for (const dd of [-3, -2, -1, 1, 2, 3]) if (day + dd >= FIRST_DAY && day + dd <= LAST_DAY) out.add(fromEpochDay(day + dd));
  return [...out];
}

/** Words and hyphenated parts, each once, for the phonetic codes. */
function phoneticWords(name: string): string[] {
  const words = new Set<string>();
  for (const w of nameWords(name)) {
    words.add(w);
    for (const part of w.split(/[-'’]/)) if (part) words.add(part);
  }
  return [...words].slice(0, 8);
}

export async function searchChildren(db: Queryable, principal: Principal, query: ChildSearchQuery): Promise<ChildSearchResult[]> {
  if (!canSeeChild(principal, [principal.organisationId])) return [];
  const name = query.name?.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, 200) || null;
  const dob = query.dateOfBirth && isValidIsoDate(query.dateOfBirth) ? query.dateOfBirth : null;
  const postcode = query.postcode ? postcodeSearchKey(query.postcode) : null;
  const nhs = query.nhsNumber ? checkNhsNumber(query.nhsNumber) : null;
  const nhsNumber = nhs?.ok ? nhs.value : null;
  const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
  if (!name && !dob && !postcode && !nhsNumber) return [];

  const words = name ? phoneticWords(name) : [];
  const rows = await findCandidates(db, {
    organisationId: principal.organisationId,
    partnershipId: principal.partnershipId,
    name,
    phoneticWords: words,
    singleWord: nameWords(name ?? '').length <= 1,
    datesOfBirth: dob ? nearbyDates(dob) : [],
    dateOfBirth: dob,
    postcodeKey: postcode?.key ?? null,
    postcodeOutwardOnly: postcode?.outwardOnly ?? false,
    postcodeSector: postcode?.sector ?? null,
    nhsNumber,
    limit: 500,
  });
  const match: MatchQuery = { name, dateOfBirth: dob, postcode, nhsNumber };
  return rows
    .map((r) => ({
      id: r.id,
      firstName: r.firstName,
      lastName: r.lastName,
      knownAs: r.knownAs,
      dateOfBirth: r.dateOfBirth,
      expectedDueDate: r.expectedDueDate,
      postcode: r.postcode,
      score: scoreMatch(match, {
        nameSimilarity: r.nameSimilarity ?? 0,
        firstNamePhonetic: !!r.firstNamePhonetic,
        lastNamePhonetic: !!r.lastNamePhonetic,
        dateOfBirth: r.dateOfBirth,
        expectedDueDate: r.expectedDueDate,
        postcodeKeys: r.postcodeKeys ?? [],
        nhsNumber: r.nhsNumber,
      }),
    }))
    .filter((r) => r.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))
    .slice(0, limit);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

/** The child's record, or null when there is no such child or the principal may not see it. */
export async function getChildForViewer(db: Queryable, principal: Principal | null, childId: string): Promise<ChildRecord | null> {
  if (!principal || !isUuid(childId)) return null;
  const child = await loadChild(db, childId);
  if (!child || !canSeeChild(principal, child.organisationIds)) return null;
  return child;
}
