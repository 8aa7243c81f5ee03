// The shipped clock definitions validate, cover every timescale in DESIGN.md §4 with a citation, and a
// partnership's file changes only what it says it changes. Broken files are refused with the place named.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { clockStatus, clockTimes, dueInWords, dueSoonInWords, lengthInWords, londonInstant, timeInWords } from '../../src/clocks/clock.ts';
import { DEFINITIONS_DIR, createCatalogue, parseDefinitionFiles, readDefinitionFiles, shippedCatalogue } from '../../src/clocks/definitions.ts';

const SEEDS = '/work/shared/seeds';
const catalogue = shippedCatalogue();
const def = catalogue.get('default')!;
const medway = catalogue.get('medway')!;
const clock = (set: typeof def, id: string) => set.clocks.find((c) => c.id === id)!;

describe('shipped definitions', () => {
  test('every row of DESIGN.md §4 is a clock with the right length, unit and events', () => {
    const expected: [string, number, string, string[], string[]][] = [
      ['front-door-decision', 1, 'working-days', ['contact.received'], ['contact.decided']],
      ['referral-acknowledgement', 1, 'working-days', ['referral.sent'], ['referral.acknowledged']],
      ['referral-chase', 3, 'working-days', ['referral.sent'], ['referral.acknowledged']],
      ['telephone-referral-confirmation', 48, 'hours', ['referral.telephoned'], ['referral.written-confirmation-sent']],
      ['child-and-family-assessment', 45, 'working-days', ['assessment.started'], ['assessment.completed']],
      ['initial-child-protection-conference', 15, 'working-days', ['strategy-discussion.held'], ['icpc.held']],
      ['early-help-plan-review', 8, 'weeks', ['early-help-plan.agreed', 'early-help-plan.reviewed'], ['early-help-plan.reviewed', 'early-help-plan.closed']],
      ['step-down-early-help-minimum', 12, 'weeks', ['step-down.to-early-help'], ['step-down.to-universal']],
      ['escalation-stage-response', 5, 'working-days', ['escalation.raised', 'escalation.escalated'], ['escalation.responded', 'escalation.escalated', 'escalation.resolved']],
      ['information-sharing', 1, 'weeks', ['information-sharing.decided'], ['information-sharing.shared']],
      ['pre-birth-caf', 1, 'months', ['pre-birth.support-decided'], ['caf.initiated']],
      ['induction-safeguarding-training', 3, 'months', ['staff.started'], ['training.induction-completed']],
      ['safeguarding-refresher', 36, 'months', ['training.safeguarding-completed'], ['training.safeguarding-completed']],
      ['dsl-training-refresher', 24, 'months', ['training.dsl-completed'], ['training.dsl-completed']],
    ];
    for (const [id, length, unit, starts, stops] of expected) {
      const c = clock(def, id);
      assert.ok(c, `default set has ${id}`);
      assert.deepEqual([c.length, c.unit, c.startsOn, c.stopsOn], [length, unit, starts, stops], id);
    }
    assert.equal(clock(def, 'escalation-stage-response').stages, 4);
    assert.equal(clock(def, 'step-down-early-help-minimum').kind, 'minimum');
  });

  test('Medway: a 24-hour front door decision and a 5-working-day outcome to the referrer; the rest unchanged', () => {
    const fd = clock(medway, 'front-door-decision');
    assert.deepEqual([fd.length, fd.unit], [24, 'hours']);
    assert.deepEqual(fd.startsOn, ['contact.received'], 'events kept from the default');
    const outcome = clock(medway, 'outcome-to-referrer');
    assert.deepEqual([outcome.length, outcome.unit, outcome.startsOn, outcome.stopsOn], [5, 'working-days', ['referral.sent'], ['referral.outcome-received']]);
    assert.equal(clock(def, 'outcome-to-referrer'), undefined);
    assert.deepEqual(clock(medway, 'referral-acknowledgement'), clock(def, 'referral-acknowledgement'));
    assert.equal(medway.clocks.length, def.clocks.length + 1);
  });

  test('sets are chosen by partnership slug, then threshold framework, else the default', () => {
    assert.equal(catalogue.forPartnership({ slug: 'medway' }).id, 'medway');
    assert.equal(catalogue.forPartnership({ slug: 'medway-test', frameworkId: 'medway' }).id, 'medway');
    assert.equal(catalogue.forPartnership({ slug: 'dudley', frameworkId: 'dudley' }).id, 'default');
  });

  test('every citation of a seed quotes it verbatim at the lines given', () => {
    const seeds = new Map<string, string[]>();
    let checked = 0;
    for (const set of catalogue.sets) {
      for (const c of set.clocks) {
        assert.ok(c.citations.length >= 1, `${set.id}/${c.id} is cited`);
        for (const cit of c.citations) {
          if (!cit.source.startsWith('seeds/')) {
            assert.ok(cit.url || cit.section, `${c.id}: a published source says where`);
            continue;
          }
          const file = path.join(SEEDS, cit.source.slice('seeds/'.length));
          if (!seeds.has(file)) seeds.set(file, readFileSync(file, 'utf8').split('\n'));
          const lines = seeds.get(file)!;
          assert.ok(cit.lines && cit.quote, `${c.id}: a seed citation gives lines and a quote`);
          const [from, to] = cit.lines!.split('-').map(Number) as [number, number | undefined];
          // Compared with runs of white space (the seeds hold non-breaking spaces) read as one space.
          const flat = (x: string) => x.replace(/\s+/g, ' ');
          const text = flat(lines.slice(from - 1, to ?? from).join('\n'));
          assert.ok(text.includes(flat(cit.quote!)), `${set.id}/${c.id}: "${cit.quote}" is at ${cit.source}:${cit.lines}`);
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 15);
  });

  test('every event a clock uses is in the vocabulary, and the files are named by their ids', () => {
    const { problems } = parseDefinitionFiles(readDefinitionFiles(DEFINITIONS_DIR));
    assert.deepEqual(problems, []);
  });
});

describe('refusing broken files', () => {
  const base = readFileSync(path.join(DEFINITIONS_DIR, 'default.yaml'), 'utf8');
  const problemsOf = (files: { name: string; text: string }[]) => parseDefinitionFiles(files).problems;

  test('a clock without a citation, a bad unit and an unknown event are each named', () => {
    const broken = base
      .replace(/(- id: referral-chase[\s\S]*?)citations:[\s\S]*?(\n\n  - id: telephone)/, '$1citations: []$2')
      .replace('length: 48\n    unit: hours', 'length: 48\n    unit: fortnights')
      .replace('stopsOn: icpc.held', 'stopsOn: icpc.hled');
    const problems = problemsOf([{ name: 'default.yaml', text: broken }]);
    assert.ok(problems.some((p) => p.path === 'clocks[2].citations' && /cite/.test(p.message)), JSON.stringify(problems));
    assert.ok(problems.some((p) => p.path === 'clocks[3].unit'), JSON.stringify(problems));
    // The vocabulary check runs once the shapes are valid.
    const unknownEvent = problemsOf([{ name: 'default.yaml', text: base.replace('stopsOn: icpc.held', 'stopsOn: icpc.hled') }]);
    assert.deepEqual(unknownEvent.map((p) => p.path), ['clocks[5].stopsOn[0]']);
    assert.match(unknownEvent[0]!.message, /icpc\.hled/);
  });

  test('an override of a clock that does not exist, or one that breaks a rule, is refused', () => {
    const medwayText = readFileSync(path.join(DEFINITIONS_DIR, 'medway.yaml'), 'utf8');
    const wrongId = problemsOf([{ name: 'default.yaml', text: base }, { name: 'medway.yaml', text: medwayText.replace('- id: front-door-decision', '- id: front-door-decisions') }]);
    assert.ok(wrongId.some((p) => p.file === 'medway.yaml' && /no clock "front-door-decisions"/.test(p.message)), JSON.stringify(wrongId));
    const hoursWarnInDays = problemsOf([{ name: 'default.yaml', text: base }, { name: 'medway.yaml', text: medwayText.replace('dueSoon: { before: 4, unit: hours }', 'dueSoon: { before: 1, unit: working-days }') }]);
    assert.ok(hoursWarnInDays.some((p) => p.path === 'override[0].dueSoon.unit'), JSON.stringify(hoursWarnInDays));
    const orphan = problemsOf([{ name: 'default.yaml', text: base }, { name: 'medway.yaml', text: medwayText.replace('extends: default', 'extends: england') }]);
    assert.ok(orphan.some((p) => p.path === 'extends'));
  });

  test('a file whose id is not its name, and YAML that does not parse', () => {
    assert.ok(problemsOf([{ name: 'england.yaml', text: base }]).some((p) => p.path === 'id'));
    assert.ok(problemsOf([{ name: 'default.yaml', text: 'clocks: [' }]).some((p) => /YAML/.test(p.message)));
  });

  test('a catalogue without a default set cannot be made', () => {
    assert.throws(() => createCatalogue([]), /default set is missing/);
  });
});

describe('words', () => {
  test('times, lengths and warnings read as GOV.UK writes them', () => {
    assert.equal(timeInWords(17, 0), '5pm');
    assert.equal(timeInWords(9, 30), '9:30am');
    assert.equal(timeInWords(12, 0), 'midday');
    assert.equal(timeInWords(0, 0), 'midnight');
    assert.equal(lengthInWords(1, 'working-days'), '1 working day');
    assert.equal(lengthInWords(36, 'months'), '3 years');
    assert.equal(lengthInWords(48, 'hours'), '48 hours');
    assert.equal(dueSoonInWords({ before: 0, unit: 'working-days' }), 'On the due date');
    assert.equal(dueSoonInWords({ before: 2, unit: 'weeks' }), '2 weeks before it is due');
    assert.equal(dueInWords(londonInstant('2026-12-29', '17:00')), '5pm Tuesday 29 December 2026');
  });
});

describe('status transitions', () => {
  const ack = clock(def, 'referral-acknowledgement');
  const started = londonInstant('2026-03-02', '09:00'); // Monday
  const t = clockTimes(ack, started, def.endOfWorkingDay);
  const s = (now: string, stoppedAt: Date | null = null, kind: 'deadline' | 'minimum' = 'deadline') =>
    clockStatus({ kind, dueAt: t.dueAt, dueSoonAt: t.dueSoonAt, stoppedAt }, new Date(now));

  test('a deadline: running → due soon on the due date → overdue after 5pm; met or missed once stopped', () => {
    assert.equal(t.dueDate, '2026-03-03');
    assert.equal(s('2026-03-02T16:00:00Z'), 'running');
    assert.equal(s('2026-03-03T00:00:00Z'), 'due-soon');
    assert.equal(s('2026-03-03T17:00:00Z'), 'due-soon');
    assert.equal(s('2026-03-03T17:00:01Z'), 'overdue');
    assert.equal(s('2026-03-09T00:00:00Z', new Date('2026-03-03T16:59:00Z')), 'met');
    assert.equal(s('2026-03-09T00:00:00Z', new Date('2026-03-03T17:00:00Z')), 'met', 'on the due time is on time');
    assert.equal(s('2026-03-09T00:00:00Z', new Date('2026-03-04T09:00:00Z')), 'missed');
  });

  test('a minimum period: never overdue; met once complete, missed if stopped early', () => {
    assert.equal(s('2026-03-02T16:00:00Z', null, 'minimum'), 'running');
    assert.equal(s('2026-03-03T12:00:00Z', null, 'minimum'), 'due-soon');
    assert.equal(s('2026-03-05T12:00:00Z', null, 'minimum'), 'met');
    assert.equal(s('2026-03-09T00:00:00Z', new Date('2026-03-03T09:00:00Z'), 'minimum'), 'missed');
    assert.equal(s('2026-03-09T00:00:00Z', new Date('2026-03-04T09:00:00Z'), 'minimum'), 'met');
  });

  test('due soon never starts before the clock does, and follows working days back over a holiday', () => {
    const chase = clock(def, 'referral-chase'); // 3 working days, warns 1 working day before
    const x = clockTimes(chase, londonInstant('2026-04-01', '10:00'), def.endOfWorkingDay); // Wed before Easter
    assert.equal(x.dueDate, '2026-04-08'); // Thu 2, (Fri 3, Mon 6 holidays), Tue 7, Wed 8
    assert.equal(x.dueSoonAt.getTime(), londonInstant('2026-04-07', '00:00').getTime());
    const fd = clockTimes(clock(medway, 'front-door-decision'), new Date('2026-04-01T10:00:00Z'), def.endOfWorkingDay);
    assert.equal(fd.dueAt.toISOString(), '2026-04-02T10:00:00.000Z');
    assert.equal(fd.dueSoonAt.toISOString(), '2026-04-02T06:00:00.000Z');
    const review = clockTimes(clock(def, 'early-help-plan-review'), londonInstant('2026-01-05', '10:00'), def.endOfWorkingDay);
    assert.equal(review.dueDate, '2026-03-02');
    assert.equal(review.dueSoonAt.getTime(), londonInstant('2026-02-16', '00:00').getTime(), 'the window opens at 6 weeks');
  });
});
