// Name search's trigram postings (migration 017): the candidates they give are exactly the names pg_trgm's
// % and %> operators accept, compared with a scan of every name, for chosen queries and for misspellings
// made at random; and the postings follow names as they are added, changed and unlinked from an organisation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { findCandidates } from '../../src/people/store.ts';
import { createChild } from '../support/children.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createOrganisation } from '../support/fixtures.ts';

let t: TestDatabase;
before(async () => { t = await createTestDatabase(); });
after(async () => { await t.drop(); });

const FIRST = ['Jayden', 'Jaden', 'Ava', 'Olivia', 'Noah', 'Isla', 'Mohammed', 'Muhammad', 'Leo', 'Zoë', 'Sian', 'Siân', 'Al', 'Bo', 'Amelia-Rose', 'Kai'];
const LAST = ['Smith', 'Smyth', 'Smith-Jones', "O'Neill", 'Khan', 'Kahn', 'Taylor', 'Davies', 'Browne', 'Ng', 'Li', 'Williams', 'Van der Berg', 'Nowak'];
const QUERIES = [
  'jaden smyth', 'jayden smith', 'smyth', 'smith', 'ava smith-jones', 'smith jones ava', 'ava jones', 'amelia wiliams', 'mohammad kahn',
  'muhammed', 'o neil', "o'neill", 'zoe', 'zoë ng', 'siân li', 'al', 'bo li', 'ng', 'kai van der berg', 'vanderberg', 'x', 'qqqq zzzz',
  'noah taylor davies', 'isla-browne', 'leo', 'williams amelia-rose',
];

async function nameCandidates(organisationId: string, partnershipId: string, name: string): Promise<string[]> {
  const rows = await findCandidates(t.db, {
    organisationId, partnershipId, name, phoneticWords: [], singleWord: false,
    datesOfBirth: [], dateOfBirth: null, postcodeKey: null, postcodeOutwardOnly: false, nhsNumber: null, limit: 500,
  });
  return rows.map((r) => r.id).sort();
}

async function scanned(organisationId: string, name: string): Promise<string[]> {
  const { rows } = await t.db.query<{ child_id: string }>(
    `SELECT DISTINCT child_id FROM child_name_search WHERE organisation_id = $1 AND (full_name % $2 OR full_name %> $2)`,
    [organisationId, name]);
  return rows.map((r) => r.child_id).sort();
}

describe('trigram postings', () => {
  let org: string;
  let partnership: string;
  before(async () => {
    ({ organisationId: org } = await createOrganisation(t.db));
    partnership = (await t.db.query<{ partnership_id: string }>('SELECT partnership_id FROM organisations WHERE id = $1', [org])).rows[0]!.partnership_id;
    for (const [i, first] of FIRST.entries()) {
      for (const [j, last] of LAST.entries()) if ((i + j) % 3 === 0) await createChild(t.db, { organisationId: org, firstName: first, lastName: last });
    }
  });

  /** Search's candidates for the query equal the scan's; how many names that compared. */
  async function sameAsScan(q: string): Promise<number> {
    const expected = await scanned(org, q);
    assert.deepEqual(await nameCandidates(org, partnership, q), expected, q);
    return expected.length;
  }

  test('give exactly the names the % and %> operators accept', async () => {
    let compared = 0;
    for (const q of QUERIES) compared += await sameAsScan(q);
    assert.ok(compared > 50, `only ${compared} matches compared`);
  });

  test('give exactly those names for misspellings, shortenings and extra words made at random', async () => {
    const words = [...FIRST, ...LAST].map((w) => w.toLowerCase());
    // A word as someone might mistype it: a letter dropped, doubled, swapped with the next or replaced.
    const misspelt = fc.tuple(fc.constantFrom(...words), fc.nat(), fc.constantFrom('drop', 'double', 'swap', 'replace', 'none'), fc.constantFrom(...'aeiouyknrst'))
      .map(([w, at, how, letter]) => {
        const i = at % w.length;
        if (how === 'drop') return w.slice(0, i) + w.slice(i + 1) || w;
        if (how === 'double') return w.slice(0, i + 1) + w.slice(i);
        if (how === 'swap') return w.slice(0, i) + w.slice(i + 1, i + 2) + w.slice(i, i + 1) + w.slice(i + 2);
        if (how === 'replace') return w.slice(0, i) + letter + w.slice(i + 1);
        return w;
      });
    let compared = 0;
    await fc.assert(fc.asyncProperty(fc.array(misspelt, { minLength: 1, maxLength: 4 }), async (parts) => {
      compared += await sameAsScan(parts.join(' '));
    }), { numRuns: 150, seed: 20261204 });
    assert.ok(compared > 150, `only ${compared} matches compared`);
  });

  test('hold each name once per trigram per organisation that knows the child', async () => {
    const { rows } = await t.db.query<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM child_name_search s
        WHERE (SELECT count(*) FROM child_name_trigrams p WHERE p.organisation_id = s.organisation_id AND p.name_id = s.name_id)
              <> cardinality(show_trgm(s.full_name))`);
    assert.equal(rows[0]!.bad, 0);
  });

  test('follow a name as it is added, changed and unlinked from the organisation', async () => {
    const child = await createChild(t.db, { organisationId: org, firstName: 'Persephone', lastName: 'Quill' });
    assert.deepEqual(await nameCandidates(org, partnership, 'persefone quil'), [child.id]);

    await t.db.query(`UPDATE child_names SET first_name = 'Theodora', last_name = 'Marsh' WHERE child_id = $1`, [child.id]);
    assert.deepEqual(await nameCandidates(org, partnership, 'persefone quil'), []);
    assert.deepEqual(await nameCandidates(org, partnership, 'theodora marsh'), [child.id]);

    await t.db.query(`INSERT INTO child_names (child_id, kind, first_name, last_name) VALUES ($1, 'alias', 'Teddy', 'Marsh')`, [child.id]);
    assert.deepEqual(await nameCandidates(org, partnership, 'tedy marsh'), [child.id]);

    // Known to a second organisation too: that organisation gets postings of its own, and unlinking removes only its.
    const { organisationId: other } = await createOrganisation(t.db);
    await t.db.query('INSERT INTO child_organisations (child_id, organisation_id) VALUES ($1, $2)', [child.id, other]);
    assert.deepEqual(await nameCandidates(other, partnership, 'theodora marsh'), [child.id]);
    await t.db.query('DELETE FROM child_organisations WHERE child_id = $1 AND organisation_id = $2', [child.id, other]);
    assert.deepEqual(await nameCandidates(other, partnership, 'theodora marsh'), []);
    assert.deepEqual(await nameCandidates(org, partnership, 'theodora marsh'), [child.id]);
    const left = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM child_name_trigrams WHERE organisation_id = $1', [other]);
    assert.equal(left.rows[0]!.n, 0);
  });
});
