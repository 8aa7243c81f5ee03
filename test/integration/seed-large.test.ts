import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyAudit } from '../../src/platform/audit/audit.ts';
import { largeDatasetExists, seedLargeDataset } from '../../src/seed/large.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

let t: TestDatabase;
before(async () => { t = await createTestDatabase(); });
after(async () => { await t.drop(); });

test('a seed that stops part-way leaves nothing behind, so it is not taken for a finished one', async () => {
  const stop = (m: string) => { if (m.includes('addresses')) throw new Error('stopped'); };
  await assert.rejects(seedLargeDataset(t.db, { organisations: 2, children: 20, concerns: 40 }, stop), /stopped/);
  assert.equal(await largeDatasetExists(t.db), false);
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM children')).rows[0].n, 0);
});

test('the scale seed creates linked organisations, staff, children, concerns and their events', async () => {
  assert.equal(await largeDatasetExists(t.db), false);
  await seedLargeDataset(t.db, { organisations: 6, children: 300, concerns: 1500 });
  assert.equal(await largeDatasetExists(t.db), true);
  const { rows: [c] } = await t.db.query(`SELECT
    (SELECT count(*) FROM organisations) AS orgs, (SELECT count(*) FROM users) AS users,
    (SELECT count(*) FROM children) AS children, (SELECT count(*) FROM child_organisations) AS links,
    (SELECT count(*) FROM concerns) AS concerns, (SELECT count(*) FROM events WHERE type = 'concern') AS events,
    (SELECT count(*) FROM concerns k JOIN users u ON u.id = k.raised_by WHERE u.organisation_id <> k.organisation_id) AS foreign_raisers,
    (SELECT count(*) FROM concerns k JOIN child_organisations co ON co.child_id = k.child_id AND co.organisation_id = k.organisation_id) AS own_children,
    (SELECT count(*) FROM concerns WHERE status = 'new') AS new_concerns`);
  assert.deepEqual(
    { orgs: c.orgs, users: c.users, children: c.children, links: c.links, concerns: c.concerns, events: c.events, foreignRaisers: c.foreign_raisers, ownChildren: c.own_children },
    { orgs: 6, users: 30, children: 300, links: 300, concerns: 1500, events: 1500, foreignRaisers: 0, ownChildren: 1500 },
  );
  assert.ok(c.new_concerns > 0 && c.new_concerns < 1500 * 0.05, 'a small share of concerns waits in the triage queues');
  assert.equal((await verifyAudit(t.db)).broken, null);
});
