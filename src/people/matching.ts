// How closely a child's record matches what someone searched for. Pure: the database supplies the facts
// (name similarity, phonetic agreement, dates, postcodes, NHS number) and this turns them into one score.
import { isValidIsoDate, toEpochDay } from '../platform/calendar/iso-date.ts';
import { outwardCode, type PostcodeSearchKey } from './identifiers.ts';

export interface MatchQuery {
  /** the name as typed; how many words it has decides how much one phonetic agreement counts */
  name?: string | null;
  dateOfBirth?: string | null;
  /** compacted postcode ("ME44AA"), or outward code ("ME4") with perhaps its sector */
  postcode?: PostcodeSearchKey | null;
  nhsNumber?: string | null;
}

export interface MatchCandidate {
  /** 0–1: the best trigram or word similarity between the query and any of the child's names */
  nameSimilarity: number;
  /** a query word sounds like (double metaphone) one of the child's first names / last names */
  firstNamePhonetic: boolean;
  lastNamePhonetic: boolean;
  dateOfBirth: string | null;
  expectedDueDate: string | null;
  /** every postcode the child has lived at, compacted */
  postcodeKeys: string[];
  nhsNumber: string | null;
}

const WEIGHTS = { name: 0.45, dateOfBirth: 0.3, postcode: 0.15, nhsNumber: 0.6 } as const;
/** Results scoring below this are noise, not likely matches. */
export const MIN_SCORE = 35;
/** A possible duplicate is worth showing before a new record is created from this score up. */
export const LIKELY_MATCH_SCORE = 50;

export function nameWords(name: string): string[] {
  return name.toLowerCase().split(/[\s,]+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean);
}

export function nameScore(query: string, c: Pick<MatchCandidate, 'nameSimilarity' | 'firstNamePhonetic' | 'lastNamePhonetic'>): number {
  const single = nameWords(query).length <= 1;
  let phonetic = 0;
  if (c.firstNamePhonetic && c.lastNamePhonetic) phonetic = 0.85;
  else if (c.firstNamePhonetic || c.lastNamePhonetic) phonetic = single ? 0.75 : 0.4;
  return Math.min(1, Math.max(c.nameSimilarity, phonetic));
}

/** 1 for the same day; part marks for the usual slips (day and month swapped, a year out, a digit wrong). */
export function dateOfBirthScore(query: string, c: Pick<MatchCandidate, 'dateOfBirth' | 'expectedDueDate'>): number {
  if (!isValidIsoDate(query)) return 0;
  if (c.dateOfBirth && isValidIsoDate(c.dateOfBirth)) {
    const a = c.dateOfBirth;
    if (a === query) return 1;
    const [y1, m1, d1] = a.split('-');
    const [y2, m2, d2] = query.split('-');
    if (y1 === y2 && m1 === d2 && d1 === m2) return 0.7;
    if (m1 === m2 && d1 === d2 && Math.abs(Number(y1) - Number(y2)) === 1) return 0.5;
    if (Math.abs(toEpochDay(a) - toEpochDay(query)) <= 3) return 0.5;
    if (y1 === y2 && m1 === m2) return 0.3;
    return 0;
  }
  // A child recorded before birth: a date of birth near the expected due date is probably the same child.
  if (c.expectedDueDate && isValidIsoDate(c.expectedDueDate)) {
    const gap = Math.abs(toEpochDay(c.expectedDueDate) - toEpochDay(query));
    return gap <= 14 ? 0.7 : gap <= 42 ? 0.4 : 0;
  }
  return 0;
}

export function postcodeScore(query: NonNullable<MatchQuery['postcode']>, keys: string[]): number {
  if (query.outwardOnly) {
    const district = keys.filter((k) => outwardCode(k) === query.key);
    if (!query.sector) return district.length ? 1 : 0;
    // The sector is the first character of the three-character inward code.
    return district.some((k) => k.charAt(k.length - 3) === query.sector) ? 1 : district.length ? 0.3 : 0;
  }
  if (keys.includes(query.key)) return 1;
  return keys.some((k) => outwardCode(k) === outwardCode(query.key)) ? 0.3 : 0;
}

/** 0–100. Only the criteria given on both sides count; an NHS number settles identity either way. */
export function scoreMatch(q: MatchQuery, c: MatchCandidate): number {
  let total = 0;
  let weight = 0;
  if (q.name && nameWords(q.name).length) {
    total += WEIGHTS.name * nameScore(q.name, c);
    weight += WEIGHTS.name;
  }
  if (q.dateOfBirth) {
    total += WEIGHTS.dateOfBirth * dateOfBirthScore(q.dateOfBirth, c);
    weight += WEIGHTS.dateOfBirth;
  }
  if (q.postcode) {
    total += WEIGHTS.postcode * postcodeScore(q.postcode, c.postcodeKeys);
    weight += WEIGHTS.postcode;
  }
  let nhsAgrees: boolean | null = null;
  // A record without an NHS number says nothing either way; counting its weight would bury a likely duplicate.
  if (q.nhsNumber && c.nhsNumber) {
    nhsAgrees = c.nhsNumber === q.nhsNumber;
    total += WEIGHTS.nhsNumber * (nhsAgrees ? 1 : 0);
    weight += WEIGHTS.nhsNumber;
  }
  if (weight === 0) return 0;
  let score = total / weight;
  if (nhsAgrees === true) score = Math.max(score, 0.95);
  // Two different NHS numbers are two different people, however alike the rest.
  if (nhsAgrees === false) score *= 0.3;
  return Math.round(score * 100);
}
