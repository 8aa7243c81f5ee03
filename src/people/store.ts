// SQL for children, the names and addresses they have had, the people around them and the professionals
// involved. Every function takes the caller's connection, so it runs inside the caller's transaction.
import type { Queryable } from '../platform/db/pool.ts';
import type { AddressInput, HouseholdAdultInput, NewChildInput, ProfessionalInput, StatusFlag } from './validation.ts';

/** Fields of the children table as the domain names them, with their columns. */
export const CHILD_COLUMNS = {
  firstName: 'first_name',
  middleNames: 'middle_names',
  lastName: 'last_name',
  knownAs: 'known_as',
  dateOfBirth: 'date_of_birth',
  expectedDueDate: 'expected_due_date',
  sex: 'sex',
  gender: 'gender',
  ethnicity: 'ethnicity',
  firstLanguage: 'first_language',
  religion: 'religion',
  interpreterNeeded: 'interpreter_needed',
  communicationNeeds: 'communication_needs',
  senStatus: 'sen_status',
  disability: 'disability',
  schoolOrSetting: 'school_or_setting',
  nhsNumber: 'nhs_number',
  upn: 'upn',
  childProtectionPlan: 'child_protection_plan',
  childInNeed: 'child_in_need',
  lookedAfter: 'looked_after',
  ehcp: 'ehcp',
  youngCarer: 'young_carer',
  privatelyFostered: 'privately_fostered',
} as const;
export type ChildField = keyof typeof CHILD_COLUMNS;
export const CHILD_FIELDS = Object.keys(CHILD_COLUMNS) as ChildField[];

export interface ChildName { id: number; kind: 'legal' | 'known_as' | 'alias' | 'previous'; firstName: string; lastName: string }
export interface ChildAddress {
  id: number; line1: string; line2: string | null; town: string | null; postcode: string | null;
  fromDate: string | null; toDate: string | null; current: boolean;
}

export interface ChildRecord {
  id: string;
  partnershipId: string;
  firstName: string;
  middleNames: string | null;
  lastName: string;
  knownAs: string | null;
  dateOfBirth: string | null;
  expectedDueDate: string | null;
  sex: string | null;
  gender: string | null;
  ethnicity: string | null;
  firstLanguage: string | null;
  religion: string | null;
  interpreterNeeded: boolean;
  communicationNeeds: string | null;
  senStatus: string | null;
  disability: string | null;
  schoolOrSetting: string | null;
  nhsNumber: string | null;
  upn: string | null;
  childProtectionPlan: boolean;
  childInNeed: boolean;
  lookedAfter: boolean;
  ehcp: boolean;
  youngCarer: boolean;
  privatelyFostered: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** the organisations that know the child, and so may see the record */
  organisationIds: string[];
  names: ChildName[];
  addresses: ChildAddress[];
}
export type ChildFlags = Pick<ChildRecord, StatusFlag>;

const CHILD_SELECT = `SELECT c.id, c.partnership_id AS "partnershipId", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  ${Object.entries(CHILD_COLUMNS).map(([k, col]) => `c.${col} AS "${k}"`).join(', ')},
  coalesce((SELECT array_agg(co.organisation_id) FROM child_organisations co WHERE co.child_id = c.id), '{}') AS "organisationIds"
  FROM children c`;

export async function childOrganisationIds(db: Queryable, childId: string): Promise<string[]> {
  const { rows } = await db.query<{ organisation_id: string }>('SELECT organisation_id FROM child_organisations WHERE child_id = $1', [childId]);
  return rows.map((r) => r.organisation_id);
}

export async function loadChild(db: Queryable, childId: string): Promise<ChildRecord | null> {
  const { rows } = await db.query<Omit<ChildRecord, 'names' | 'addresses'>>(`${CHILD_SELECT} WHERE c.id = $1`, [childId]);
  const child = rows[0];
  if (!child) return null;
  const names = await db.query<ChildName>(
    `SELECT id, kind, first_name AS "firstName", last_name AS "lastName" FROM child_names WHERE child_id = $1
      ORDER BY array_position(ARRAY['legal','known_as','alias','previous'], kind), id`, [childId]);
  const addresses = await db.query<ChildAddress>(
    `SELECT id, line1, line2, town, postcode, from_date AS "fromDate", to_date AS "toDate", to_date IS NULL AS current
       FROM child_addresses WHERE child_id = $1 ORDER BY (to_date IS NULL) DESC, from_date DESC NULLS LAST, id DESC`, [childId]);
  return { ...child, names: names.rows, addresses: addresses.rows };
}

export async function insertChild(db: Queryable, partnershipId: string, createdBy: string, input: NewChildInput): Promise<string> {
  const cols = CHILD_FIELDS.map((f) => CHILD_COLUMNS[f]);
  const values = CHILD_FIELDS.map((f) => input[f] ?? (typeof input[f] === 'boolean' ? false : null));
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO children (partnership_id, created_by, ${cols.join(', ')})
     VALUES ($1, $2, ${cols.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING id`,
    [partnershipId, createdBy, ...values],
  );
  return rows[0]!.id;
}

/** Writes only the given fields; returns the fields whose stored value actually changed. */
export async function updateChildFields(db: Queryable, childId: string, changes: Partial<Record<ChildField, unknown>>): Promise<ChildField[]> {
  const fields = (Object.keys(changes) as ChildField[]).filter((f) => f in CHILD_COLUMNS && changes[f] !== undefined);
  if (!fields.length) return [];
  const before = await db.query<Record<string, unknown>>(
    `SELECT ${fields.map((f) => `${CHILD_COLUMNS[f]}::text AS "${f}"`).join(', ')} FROM children WHERE id = $1 FOR UPDATE`, [childId]);
  const old = before.rows[0] ?? {};
  const asText = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'boolean' ? String(v) : String(v));
  const changed = fields.filter((f) => asText(old[f]) !== asText(changes[f]));
  if (!changed.length) return [];
  await db.query(
    `UPDATE children SET ${changed.map((f, i) => `${CHILD_COLUMNS[f]} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
    [childId, ...changed.map((f) => changes[f])],
  );
  return changed;
}

export async function insertName(db: Queryable, childId: string, kind: ChildName['kind'], firstName: string, lastName: string): Promise<void> {
  await db.query('INSERT INTO child_names (child_id, kind, first_name, last_name) VALUES ($1, $2, $3, $4)', [childId, kind, firstName, lastName]);
}

export async function deleteNames(db: Queryable, childId: string, kind: ChildName['kind']): Promise<void> {
  await db.query('DELETE FROM child_names WHERE child_id = $1 AND kind = $2', [childId, kind]);
}

export async function insertAddress(db: Queryable, childId: string, a: AddressInput): Promise<void> {
  await db.query(
    'INSERT INTO child_addresses (child_id, line1, line2, town, postcode, from_date) VALUES ($1, $2, $3, $4, $5, $6)',
    [childId, a.line1, a.line2 ?? null, a.town ?? null, a.postcode ?? null, a.fromDate ?? null],
  );
}

/** When the child moved in to their current address (the latest, if more than one is current), or null when not known. */
export async function currentAddressFrom(db: Queryable, childId: string): Promise<string | null> {
  const { rows } = await db.query<{ from: string | null }>('SELECT max(from_date)::text AS "from" FROM child_addresses WHERE child_id = $1 AND to_date IS NULL', [childId]);
  return rows[0]?.from ?? null;
}

/**
 * The current address becomes a previous one, ending on the day before the next began (or today, when that is
 * not known), so the history does not overlap; never before it began.
 */
export async function endCurrentAddresses(db: Queryable, childId: string, nextFrom: string | null, today: string): Promise<void> {
  await db.query(
    'UPDATE child_addresses SET to_date = greatest(coalesce($2::date - 1, $3::date), from_date) WHERE child_id = $1 AND to_date IS NULL',
    [childId, nextFrom, today]);
}

/** The organisation now knows the child; true when it did not before. */
export async function linkOrganisation(db: Queryable, childId: string, organisationId: string): Promise<boolean> {
  const { rowCount } = await db.query('INSERT INTO child_organisations (child_id, organisation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [childId, organisationId]);
  return (rowCount ?? 0) > 0;
}

export async function insertPerson(db: Queryable, partnershipId: string, p: HouseholdAdultInput): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO people (partnership_id, first_name, last_name, date_of_birth, phone, address, notes)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [partnershipId, p.firstName, p.lastName, p.dateOfBirth ?? null, p.phone ?? null, p.address ?? null, p.notes ?? null],
  );
  return rows[0]!.id;
}

export async function insertHouseholdMember(db: Queryable, m: {
  childId: string; personId?: string | null; relatedChildId?: string | null; relationship: string;
  parentalResponsibility: boolean; livesWithChild: boolean; significantAdult: boolean;
}): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO household_members (child_id, person_id, related_child_id, relationship, parental_responsibility, lives_with_child, significant_adult)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [m.childId, m.personId ?? null, m.relatedChildId ?? null, m.relationship, m.parentalResponsibility, m.livesWithChild, m.significantAdult],
  );
  return rows[0]!.id;
}

export interface HouseholdPerson {
  memberId: number;
  personId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string | null;
  phone: string | null;
  address: string | null;
  notes: string | null;
  relationship: string;
  parentalResponsibility: boolean;
  livesWithChild: boolean;
  significantAdult: boolean;
}

export interface SiblingLink {
  memberId: number;
  childId: string;
  relationship: string;
  livesWithChild: boolean;
  /** recorded from the other child's record (the link is shown from both) */
  reverse: boolean;
}

export async function listHouseholdPeople(db: Queryable, childId: string): Promise<HouseholdPerson[]> {
  const { rows } = await db.query<HouseholdPerson>(
    `SELECT hm.id AS "memberId", p.id AS "personId", p.first_name AS "firstName", p.last_name AS "lastName",
            p.date_of_birth AS "dateOfBirth", p.phone, p.address, p.notes, hm.relationship,
            hm.parental_responsibility AS "parentalResponsibility", hm.lives_with_child AS "livesWithChild",
            hm.significant_adult AS "significantAdult"
       FROM household_members hm JOIN people p ON p.id = hm.person_id
      WHERE hm.child_id = $1 ORDER BY hm.parental_responsibility DESC, hm.id`, [childId]);
  return rows;
}

/** Sibling links in both directions: those recorded on this child and those recorded on the other child. */
export async function listSiblingLinks(db: Queryable, childId: string): Promise<SiblingLink[]> {
  const { rows } = await db.query<SiblingLink>(
    `SELECT id AS "memberId", related_child_id AS "childId", relationship, lives_with_child AS "livesWithChild", false AS reverse
       FROM household_members WHERE child_id = $1 AND related_child_id IS NOT NULL
     UNION ALL
     SELECT id, child_id, relationship, lives_with_child, true
       FROM household_members WHERE related_child_id = $1
     ORDER BY 1`, [childId]);
  // One link per other child, preferring the one recorded on this child's record.
  const seen = new Map<string, SiblingLink>();
  for (const r of rows) if (!seen.has(r.childId) || (!r.reverse && seen.get(r.childId)!.reverse)) seen.set(r.childId, r);
  return [...seen.values()];
}

export interface IndirectLink {
  childId: string;
  /** a household member both children share (this child's relationship to them), or null */
  sharedRelationship: string | null;
  /** the third child whose household lists both, or null */
  hostChildId: string | null;
}

/**
 * Children linked to this one only through the household: they share an adult or a child in their households,
 * or a third child's household lists both. Children linked directly (listSiblingLinks) are left out. Triage's
 * relatedChildrenConcerns follows the same links, joined to their concerns in its one statement: change both.
 */
export async function listIndirectLinks(db: Queryable, childId: string): Promise<IndirectLink[]> {
  const { rows } = await db.query<IndirectLink>(
    `WITH linked AS (
       SELECT other.child_id, mine.relationship AS shared, NULL::uuid AS host, 1 AS rank
         FROM household_members mine
         JOIN household_members other ON other.child_id <> mine.child_id
          AND (other.person_id = mine.person_id OR other.related_child_id = mine.related_child_id)
        WHERE mine.child_id = $1
       UNION ALL
       SELECT other.related_child_id, NULL, mine.child_id, 2
         FROM household_members mine
         JOIN household_members other ON other.child_id = mine.child_id AND other.related_child_id IS NOT NULL
        WHERE mine.related_child_id = $1
     )
     SELECT DISTINCT ON (l.child_id) l.child_id AS "childId", l.shared AS "sharedRelationship", l.host AS "hostChildId"
       FROM linked l
      WHERE l.child_id <> $1
        AND NOT EXISTS (SELECT 1 FROM household_members d
                         WHERE (d.child_id = $1 AND d.related_child_id = l.child_id) OR (d.child_id = l.child_id AND d.related_child_id = $1))
      ORDER BY l.child_id, l.rank, l.shared`, [childId]);
  return rows;
}

export async function siblingLinkExists(db: Queryable, a: string, b: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM household_members WHERE (child_id = $1 AND related_child_id = $2) OR (child_id = $2 AND related_child_id = $1) LIMIT 1`, [a, b]);
  return rows.length > 0;
}

/** Names of the given children (for showing siblings the viewer may see). */
export async function childSummaries(db: Queryable, ids: string[]) {
  if (!ids.length) return [];
  const { rows } = await db.query<{ id: string; firstName: string; lastName: string; knownAs: string | null; dateOfBirth: string | null; expectedDueDate: string | null; organisationIds: string[] }>(
    `SELECT c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.known_as AS "knownAs", c.date_of_birth AS "dateOfBirth",
            c.expected_due_date AS "expectedDueDate",
            coalesce((SELECT array_agg(co.organisation_id) FROM child_organisations co WHERE co.child_id = c.id), '{}') AS "organisationIds"
       FROM children c WHERE c.id = ANY($1::uuid[])`, [ids]);
  return rows;
}

export interface Professional { id: number; name: string; role: string; organisation: string | null; phone: string | null; email: string | null }

export async function insertProfessional(db: Queryable, childId: string, p: ProfessionalInput): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO child_professionals (child_id, name, role, organisation, phone, email) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [childId, p.name, p.role, p.organisation ?? null, p.phone ?? null, p.email ?? null]);
  return rows[0]!.id;
}

export async function listProfessionals(db: Queryable, childId: string): Promise<Professional[]> {
  const { rows } = await db.query<Professional>(
    'SELECT id, name, role, organisation, phone, email FROM child_professionals WHERE child_id = $1 ORDER BY id', [childId]);
  return rows;
}

// ---- search ----

export interface SearchCandidateRow {
  id: string;
  firstName: string;
  lastName: string;
  knownAs: string | null;
  dateOfBirth: string | null;
  expectedDueDate: string | null;
  nhsNumber: string | null;
  nameSimilarity: number | null;
  firstNamePhonetic: boolean | null;
  lastNamePhonetic: boolean | null;
  postcodeKeys: string[] | null;
  postcode: string | null;
}

/** Double metaphone codes (primary and alternate) of each word, for the phonetic indexes. */
export interface CandidateQuery {
  organisationId: string;
  partnershipId: string;
  /** lower-case name as typed */
  name: string | null;
  /** the name's words whose double-metaphone codes are matched */
  phoneticWords: string[];
  /** one word typed: a phonetic match on the first or the last name is enough */
  singleWord: boolean;
  datesOfBirth: string[];
  dateOfBirth: string | null;
  postcodeKey: string | null;
  postcodeOutwardOnly: boolean;
  /** with an outward code, the sector digit that must follow it */
  postcodeSector?: string | null;
  nhsNumber: string | null;
  limit: number;
}

/**
 * Children the organisation knows who match any one of the criteria, with the facts the scorer needs.
 * Each branch of the union is served by an index: trigram postings (migration 017) on names, double metaphone on first and
 * last names, date of birth, postcode, NHS number; the organisation's own name index (child_name_search) keeps
 * the name branches to its children, and child_organisations' key the others.
 */
export async function findCandidates(db: Queryable, q: CandidateQuery): Promise<SearchCandidateRow[]> {
  const params: unknown[] = [q.organisationId];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const branches: string[] = [];
  let nameParam = 'NULL::text';
  let codesParam = "'{}'::text[]";
  let codesCte = '';
  let trigramCte = '';
  if (q.name) {
    nameParam = p(q.name);
    if (q.phoneticWords.length) {
      // The words' codes, worked out in the same statement rather than in a round trip of their own.
      codesCte = `codes(list) AS MATERIALIZED (
        SELECT coalesce(array_agg(DISTINCT code), '{}') FROM unnest(${p(q.phoneticWords)}::text[]) w,
               LATERAL (VALUES (dmetaphone(w)), (dmetaphone_alt(w))) v(code) WHERE code <> ''),`;
      codesParam = '(SELECT list FROM codes)::text[]';
    }
    // Trigram and phonetic matches among the organisation's own children (child_name_search, migration 010).
    // Names sharing enough of the query's trigrams come from the postings (migration 017): a similarity or word
    // similarity of t needs at least t × the query's trigram count in common (less a margin for float
    // rounding). The % and %> operators then decide exactly; their thresholds are the pool's (TRIGRAM_SETTINGS).
    // Written here rather than called as a function: a function with SET clauses is planned again on every call.
    trigramCte = `sharing(name_id) AS MATERIALIZED (
        SELECT t.name_id FROM child_name_trigrams t
         WHERE t.organisation_id = $1 AND t.trigram = ANY (show_trgm(${nameParam}))
         GROUP BY t.name_id
        HAVING count(*) >= (SELECT least(current_setting('pg_trgm.similarity_threshold')::float8,
                                         current_setting('pg_trgm.word_similarity_threshold')::float8)
                                   * cardinality(show_trgm(${nameParam})) - 0.01)),`;
    branches.push(`SELECT s.child_id FROM sharing h JOIN child_name_search s ON s.organisation_id = $1 AND s.name_id = h.name_id
      WHERE s.full_name % ${nameParam} OR s.full_name %> ${nameParam}`);
    const names = `SELECT s.child_id FROM child_name_search s WHERE s.organisation_id = $1`;
    if (q.phoneticWords.length) {
      // One word typed: a phonetic match on the first or the last name is enough; several: both must match.
      branches.push(`${names} AND (s.first_phonetic = ANY (${codesParam}) ${q.singleWord ? 'OR' : 'AND'} s.last_phonetic = ANY (${codesParam}))`);
    }
  }
  // The other branches search the partnership's records; each is narrowed to the children this organisation
  // knows on child_organisations' key. (The name branches read the organisation's own name index already.)
  const known = (ids: string) => `SELECT x.id FROM (${ids}) x(id) JOIN child_organisations co ON co.child_id = x.id AND co.organisation_id = $1`;
  if (q.datesOfBirth.length) {
    branches.push(known(`SELECT id FROM children WHERE partnership_id = ${p(q.partnershipId)} AND date_of_birth = ANY(${p(q.datesOfBirth)}::date[])`));
  }
  if (q.dateOfBirth) {
    // An unborn child's record, found by a date of birth near the expected due date.
    const d = p(q.dateOfBirth);
    branches.push(known(`SELECT id FROM children WHERE partnership_id = ${p(q.partnershipId)}
      AND expected_due_date BETWEEN ${d}::date - 42 AND ${d}::date + 42`));
  }
  if (q.postcodeKey) {
    const k = p(q.postcodeKey);
    branches.push(known(q.postcodeOutwardOnly
      ? `SELECT child_id FROM child_addresses WHERE postcode_key >= ${k} AND postcode_key <= ${k} || 'ZZZ'
           AND length(postcode_key) = length(${k}) + 3 AND left(postcode_key, length(${k})) = ${k}${q.postcodeSector
             ? ` AND substr(postcode_key, length(${k}) + 1, 1) = ${p(q.postcodeSector)}` : ''}`
      : `SELECT child_id FROM child_addresses WHERE postcode_key = ${k}`));
  }
  if (q.nhsNumber) branches.push(known(`SELECT id FROM children WHERE nhs_number = ${p(q.nhsNumber)}`));
  if (!branches.length) return [];
  // Each child once, even when a lone branch finds them twice (two names that match, two addresses at one postcode).
  // The candidates' names in this organisation are then scored in one join and one aggregate: a subquery per
  // candidate cost a third of the statement. Every child the organisation knows has its legal name indexed
  // here (migration 010), so this join also keeps the result to those children.
  // The candidates come back as one JSON array: the driver then reads one value instead of twelve a row.
  const limit = p(q.limit);
  const { rows: [answer] } = await db.query<{ candidates: SearchCandidateRow[] }>(
    `WITH ${codesCte} ${trigramCte} candidates(child_id) AS (SELECT DISTINCT b.child_id FROM (${branches.join('\nUNION\n')}) b(child_id)),
     names AS (
       SELECT cn.child_id,
              max(greatest(similarity(cn.full_name, ${nameParam}), word_similarity(${nameParam}, cn.full_name)))::float8 AS sim,
              bool_or(cn.first_phonetic = ANY(${codesParam})) AS first_ph,
              bool_or(cn.last_phonetic = ANY(${codesParam})) AS last_ph
         FROM candidates x JOIN child_name_search cn ON cn.organisation_id = $1 AND cn.child_id = x.child_id
        GROUP BY cn.child_id)
     SELECT coalesce(json_agg(r ORDER BY r."nameSimilarity" DESC NULLS LAST), '[]') AS candidates FROM (
     SELECT c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.known_as AS "knownAs",
            c.date_of_birth AS "dateOfBirth", c.expected_due_date AS "expectedDueDate", c.nhs_number AS "nhsNumber",
            n.sim AS "nameSimilarity", n.first_ph AS "firstNamePhonetic", n.last_ph AS "lastNamePhonetic",
            a.keys AS "postcodeKeys", a.current AS postcode
       FROM names n
       JOIN children c ON c.id = n.child_id
       LEFT JOIN LATERAL (
         SELECT array_agg(ca.postcode_key) FILTER (WHERE ca.postcode_key <> '') AS keys,
                (array_agg(ca.postcode ORDER BY (ca.to_date IS NULL) DESC, ca.from_date DESC NULLS LAST, ca.id DESC))[1] AS current
           FROM child_addresses ca WHERE ca.child_id = c.id) a ON true
      ORDER BY n.sim DESC NULLS LAST
      LIMIT ${limit}) r`,
    params,
  );
  return answer!.candidates;
}
