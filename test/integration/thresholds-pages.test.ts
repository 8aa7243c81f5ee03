// The threshold explorer pages, without sign-in: browse, search, filter, versions, the "what level of need?"
// journey with its validation, and the PDF of the result.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeFrameworkVersion } from '../../src/thresholds/registry.ts';
import type { Framework } from '../../src/thresholds/schema.ts';
import { loadShippedFrameworks } from '../../src/thresholds/validate.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { pdfText } from '../support/pdf.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

const DA = 'medway.l2.family-environment.10';
const DA_TEXT = 'Concerns about domestic abuse and coercive control';
const LEVEL_3 = 'Level 3: Children with complex/multiple needs or in need of protection';
const GOOD_ATTENDANCE = 'medway.l1.child-development.01';

const get = (url: string) => t.app.inject({ method: 'GET', url });
const decode = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const mainOf = (html: string) => decode(html.slice(html.indexOf('<main'), html.indexOf('</main>')));
const errorSummary = (html: string) => {
  const m = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  return m ? decode(m[0]) : '';
};
const inputValue = (html: string, id: string) => new RegExp(`<input[^>]*id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1];
const isChecked = (html: string, value: string, name: string) =>
  new RegExp(`<input[^>]*name="${name}" type="(?:checkbox|radio)" value="${value.replace(/\./g, '\\.')}"[^>]*checked`).test(html);

const flat = (s: string) => s.replace(/\s+/g, ' ');
/** A PDF's lines as one: a line broken after a slash or hyphen joins up again without a space. */
const flatPdf = (pdf: Buffer) => flat(pdfText(pdf).replace(/(?<=[/-])\n/g, ''));

describe('the list of frameworks', () => {
  test('shows each framework with its publisher, version, date and counts, and links to it', async () => {
    const res = await get('/thresholds');
    assert.equal(res.statusCode, 200);
    const main = mainOf(res.body);
    for (const name of ['Medway Threshold Guidance', 'Dudley Threshold of Need and Support Framework', 'Stoke-on-Trent Safeguarding Children Partnership Threshold for Intervention', 'Kent and Medway Inter-Agency Threshold Criteria for Children in Need']) {
      assert.ok(main.includes(name), name);
    }
    assert.match(main, /href="\/thresholds\/medway"/);
    assert.match(main, /href="\/thresholds\/medway\/assess"/);
    assert.match(main, /Medway Safeguarding Children Partnership \(MSCP\)/);
    assert.match(main, /December 2024/);
    // Medway: 3 levels and 97 indicators.
    assert.match(main, /Medway Threshold Guidance<\/a><\/th>[\s\S]*?>3<\/td>\s*<td[^>]*>97<\/td>/);
    assert.match(res.body, /class="govuk-service-navigation__link" href="\/thresholds" aria-current="(?:page|true)"/, 'the navigation marks the explorer');
  });
});

describe('one framework', () => {
  test('shows its levels with description, response, access, contacts and consent, and the immediate-danger instruction', async () => {
    const res = await get('/thresholds/medway');
    assert.equal(res.statusCode, 200);
    const main = mainOf(res.body);
    assert.match(main, /<h1[^>]*>Medway Threshold Guidance<\/h1>/);
    assert.match(main, /If a child is in immediate danger, call 999 now/);
    for (const heading of ['Level 1: Children with no additional needs', 'Level 2: Children with additional needs', LEVEL_3]) {
      assert.ok(main.includes(`>${heading}</h3>`), heading);
    }
    assert.match(main, /What to do/);
    assert.match(main, /How to access support/);
    assert.match(main, /First Response Service \(Children’s Services\)/);
    assert.match(main, /Phone: 01634 334466/);
    assert.match(main, /Parental consent is needed at this level/);
    assert.match(main, /Consent should be sought wherever possible/);
    assert.equal((main.match(/<li id="indicator-/g) ?? []).length, 97, 'every indicator is listed');
    assert.match(main, /97<\/strong> of 97 indicators/);
    assert.match(main, /Source: Medway Levels of Need and Support — Level 2 — Family &amp; Environment, line 322|Source: Medway Levels of Need and Support — Level 2 — Family & Environment, line 322/);
  });

  test('search finds an indicator by a word, with its citation', async () => {
    const res = await get('/thresholds/medway?q=coercive');
    assert.equal(res.statusCode, 200);
    const main = mainOf(res.body);
    assert.ok(main.includes(DA_TEXT));
    assert.match(main, /1<\/strong> of 97 indicators match “coercive”/);
    assert.equal((main.match(/<li id="indicator-/g) ?? []).length, 1);
    assert.match(main, new RegExp(`<li id="indicator-${DA.replace(/\./g, '\\.')}">[\\s\\S]*?Source: Medway Levels of Need and Support — Level 2 — Family & Environment, line 322`));
    assert.equal(inputValue(res.body, 'q'), 'coercive', 'the search box keeps the words');

    // Every word must match, in any order, whatever the case and quotes.
    const two = mainOf((await get('/thresholds/medway?q=ABUSE%20domestic')).body);
    assert.ok(two.includes(DA_TEXT));
    const none = mainOf((await get('/thresholds/medway?q=zebra')).body);
    assert.match(none, /No indicators match/);
  });

  test('filters by level and by area of need', async () => {
    const byLevel = mainOf((await get('/thresholds/medway?level=level-1')).body);
    assert.ok(byLevel.includes('Good education attendance (over 90%)'));
    assert.ok(!byLevel.includes(DA_TEXT));
    assert.ok(!/<h3[^>]*id="indicators-level-2"/.test(byLevel));
    assert.match(byLevel, /<option value="level-1" selected>/);

    const byDomain = mainOf((await get('/thresholds/medway?domain=parents-carers')).body);
    assert.ok(!byDomain.includes(DA_TEXT), 'a family & environment indicator is not shown');
    assert.ok(!/<h4 class="govuk-heading-s">Family & Environment<\/h4>/.test(byDomain));
    assert.match(byDomain, /<h4 class="govuk-heading-s">Parents & Carers<\/h4>/);

    const both = mainOf((await get('/thresholds/medway?level=level-2&domain=family-environment&q=domestic')).body);
    assert.ok(both.includes(DA_TEXT));
    assert.match(both, /1<\/strong> of 97 indicators match/);
  });

  test('an unknown level in the filter is an error, shown in the error summary', async () => {
    const res = await get('/thresholds/medway?level=level-9');
    assert.equal(res.statusCode, 400);
    assert.match(errorSummary(res.body), /Select a level from the list/);
    assert.match(res.body, /<title>Error: /);
  });

  test('shows how each level translates to the other frameworks, with caveats', async () => {
    const main = mainOf((await get('/thresholds/medway')).body);
    assert.match(main, /Levels in other areas \(cross-walk\)/);
    assert.match(main, /Dudley Threshold of Need and Support Framework/);
    assert.match(main, /Tier 3[^<]*; Tier 4/);
    assert.match(main, /Caveats: Level 3/);
    assert.match(main, /historic/);
  });

  test('an unknown framework or version is a page not found', async () => {
    assert.equal((await get('/thresholds/nowhere')).statusCode, 404);
    assert.equal((await get('/thresholds/medway?version=1999-01')).statusCode, 404);
    assert.equal((await get('/thresholds/nowhere/assess')).statusCode, 404);
  });
});

describe('the "what level of need?" form', () => {
  test('asks the age (born with years and months, unborn, not known), immediate danger, and indicators grouped by area with citations', async () => {
    const res = await get('/thresholds/medway/assess');
    assert.equal(res.statusCode, 200);
    const main = mainOf(res.body);
    assert.match(main, /<form method="get" action="\/thresholds\/medway\/assess\/result"/);
    assert.match(main, /How old is the child\?/);
    for (const v of ['born', 'unborn', 'unknown']) assert.match(main, new RegExp(`name="child" type="radio" value="${v}"`));
    assert.match(main, /id="years" name="years"/);
    assert.match(main, /id="months" name="months"/);
    assert.match(main, /Is the child in immediate danger now\?/);
    for (const legend of ['Child Developmental Needs', 'Family & Environment', 'Parents & Carers']) {
      assert.match(main, new RegExp(`<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">\\s*${legend}\\s*</legend>`));
    }
    assert.equal((main.match(/name="indicators" type="checkbox"/g) ?? []).length, 97);
    assert.match(main, /id="indicators" name="indicators" type="checkbox"/, 'the first box is #indicators, for the error summary');
    assert.match(main, /Level 2: Children with additional needs · Source: Medway Levels of Need and Support — Level 2 — Family & Environment, line 322/);
    assert.match(main, /does not replace professional judgement/);
    assert.match(res.body, /<script type="module" src="\/static\/thresholds.js"><\/script>/);
  });

  test('the filter narrows the list and keeps ticks already made, without JavaScript', async () => {
    const res = await get(`/thresholds/medway/assess?child=born&years=3&months=2&immediateDanger=no&indicators=${GOOD_ATTENDANCE}&indicators=${DA}&q=domestic`);
    assert.equal(res.statusCode, 200);
    const main = mainOf(res.body);
    assert.ok(main.includes(DA_TEXT));
    assert.ok(!main.includes('Good education attendance (over 90%)'), 'the filter hides the other indicators');
    assert.ok(isChecked(main, DA, 'indicators'), 'a shown tick stays ticked');
    assert.match(main, new RegExp(`<input type="hidden" name="indicators" value="${GOOD_ATTENDANCE.replace(/\./g, '\\.')}">`), 'a hidden tick is carried');
    assert.match(main, /1 ticked indicator is hidden by the filter/);
    assert.equal(inputValue(res.body, 'years'), '3');
    assert.equal(inputValue(res.body, 'months'), '2');
    assert.ok(isChecked(main, 'born', 'child'));
    assert.ok(isChecked(main, 'no', 'immediateDanger'));
    assert.equal(inputValue(res.body, 'q'), 'domestic');
    assert.match(main, /Showing \d+ of 97 indicators containing “domestic”. 2 ticked./);
  });

  test('nothing ticked and no immediate danger is an error; the answers are kept', async () => {
    const res = await get('/thresholds/medway/assess/result?child=born&years=4&months=&immediateDanger=no');
    assert.equal(res.statusCode, 400);
    assert.match(errorSummary(res.body), /href="#indicators">Tick at least one indicator/);
    assert.match(res.body, /<p class="govuk-error-message" id="indicators-error">/);
    assert.equal(inputValue(res.body, 'years'), '4');
    assert.ok(isChecked(res.body, 'born', 'child'));
    assert.ok(isChecked(res.body, 'no', 'immediateDanger'));
  });

  test('an impossible age, or both unborn and an age, is an error with the ticks kept', async () => {
    const cases: [string, string, RegExp][] = [
      ['child=born&years=-1&months=0', 'years', /Years cannot be less than 0/],
      ['child=born&years=1.5', 'years', /Years must be a whole number/],
      ['child=born&years=two', 'years', /Years must be a number/],
      ['child=born&years=1&months=12', 'months', /Months must be 11 or fewer/],
      ['child=born&years=40', 'years', /Years must be 25 or fewer/],
      ['child=born&years=&months=', 'years', /Enter the child’s age/],
      ['child=unborn&years=2', 'child', /An unborn child has no age/],
    ];
    for (const [q, field, message] of cases) {
      const res = await get(`/thresholds/medway/assess/result?${q}&immediateDanger=no&indicators=${DA}`);
      assert.equal(res.statusCode, 400, q);
      const summary = errorSummary(res.body);
      assert.match(summary, new RegExp(`href="#${field}"`), q);
      assert.match(summary, message, q);
      assert.ok(isChecked(res.body, DA, 'indicators'), `${q}: the tick is kept`);
    }
    const both = await get(`/thresholds/medway/assess/result?child=unborn&years=2&immediateDanger=no&indicators=${DA}`);
    assert.ok(isChecked(both.body, 'unborn', 'child'));
    assert.equal(inputValue(both.body, 'years'), '2');
  });

  test('an unanswered immediate-danger question is an error', async () => {
    const res = await get(`/thresholds/medway/assess/result?child=unborn&indicators=${DA}`);
    assert.equal(res.statusCode, 400);
    assert.match(errorSummary(res.body), /href="#immediateDanger">Select yes if the child is in immediate danger/);
  });
});

describe('the result', () => {
  const query = `child=unborn&immediateDanger=no&indicators=${DA}`;

  test('shows the suggested level, every reason with its citation, advice, the response and the judgement statement', async () => {
    const res = await get(`/thresholds/medway/assess/result?${query}`);
    assert.equal(res.statusCode, 200);
    const main = mainOf(res.body);
    assert.match(main, new RegExp(`<h1 class="govuk-panel__title">\\s*${LEVEL_3.replace(/[/()]/g, '\\$&')}\\s*</h1>`));
    assert.match(main, /does not replace professional judgement/);
    assert.match(main, /Rule: Domestic abuse with an unborn child or a child under one/);
    assert.match(flat(main), /unborn children and those under one are automatically at significant risk of harm/);
    assert.match(main, /Source: Medway Levels of Need and Support — Level 3 — Family & Environment, line 322/);
    assert.ok(main.includes(`Indicator: ${DA_TEXT}`));
    assert.match(main, /The indicators you ticked are at Level 2: Children with additional needs/);
    assert.match(main, /<h2 class="govuk-heading-l" id="advice">Advice<\/h2>/);
    assert.match(main, /Multi-Agency Risk Assessment Conference \(MARAC\)/);
    assert.match(main, /<h2 class="govuk-heading-l" id="response">What to do<\/h2>/);
    assert.match(main, /Statutory Social Care/);
    assert.match(main, /Who to contact/);
    assert.match(main, /Consent should be sought wherever possible/);
    assert.match(main, /Child’s age\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Unborn/);
    assert.ok(!main.includes('Call 999 now'), 'no immediate-danger warning when there is none');
    assert.match(main, new RegExp(`href="/thresholds/medway/assess.pdf\\?${query.replace(/[.?]/g, '\\$&')}"`));
    assert.match(main, /Change your answers/);
  });

  test('immediate danger puts a warning to call 999 now at the top', async () => {
    const res = await get(`/thresholds/medway/assess/result?child=born&years=7&immediateDanger=yes`);
    assert.equal(res.statusCode, 200);
    const main = mainOf(res.body);
    const warning = main.indexOf('Call 999 now');
    assert.ok(warning > 0, 'the warning is shown');
    assert.ok(warning < main.indexOf('govuk-panel'), 'the warning comes before the level');
    assert.match(main, /govuk-warning-text/);
    assert.match(main, /If the child is at risk of immediate harm call the police – 999/);
  });

  test('the PDF has the level, reasons with citations, advice, response, judgement statement, framework, version and date', async () => {
    const res = await get(`/thresholds/medway/assess.pdf?${query}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^application\/pdf/);
    assert.match(res.headers['content-disposition'] as string, /attachment; filename="suggested-level-medway-level-3.pdf"/);
    const pdf = res.rawPayload;
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/Lang \(en-GB\)/);
    assert.match(raw, /\/Marked true/);
    assert.match(raw, /\/StructTreeRoot/);
    assert.match(raw, /\/DisplayDocTitle true/);
    assert.match(raw, /<dc:title>[\s\S]*?Suggested level of need: Level 3: Children with complex\/multiple needs or in need of protection \(Medway Threshold Guidance\)/);
    const text = flatPdf(pdf);
    assert.ok(text.includes(`Suggested level: ${LEVEL_3}`), text.slice(0, 400));
    assert.ok(text.includes('Medway Threshold Guidance, version 2024-12'));
    assert.match(text, /Made on \d{1,2} [A-Z][a-z]+ \d{4}/);
    assert.match(text, /does not replace professional judgement/);
    assert.match(text, /Rule: Domestic abuse with an unborn child or a child under one/);
    assert.ok(text.includes(`Indicator: ${DA_TEXT}`));
    assert.match(text, /Source: Medway Levels of Need and Support — Level 3 — Family & Environment, line 322/);
    assert.match(text, /MARAC/);
    assert.match(text, /What to do at this level/);
    assert.match(text, /Statutory Social Care/);
    assert.match(text, /Child’s age: Unborn/);
  });

  test('the PDF of an immediate-danger result starts with calling 999; bad input shows the form with errors', async () => {
    const res = await get('/thresholds/medway/assess.pdf?child=unknown&immediateDanger=yes');
    assert.equal(res.statusCode, 200);
    const text = flatPdf(res.rawPayload);
    assert.ok(text.indexOf('Call 999 now') < text.indexOf('Suggested level:'));
    const bad = await get('/thresholds/medway/assess.pdf?child=unborn&years=1&immediateDanger=no');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.headers['content-type'] as string, /text\/html/);
    assert.match(errorSummary(bad.body), /An unborn child has no age/);
  });
});

describe('rules for unborn children and babies', () => {
  const hint = /Some rules depend on age|rules for unborn children and babies/;
  const notApplied = /were not applied/;

  test('are named from the framework\'s own rules, and only where it has them', async () => {
    const medway = flat(mainOf((await get('/thresholds/medway/assess')).body));
    assert.match(medway, /This framework has rules for unborn children and babies: ‘Domestic abuse with an unborn child or a child under one’ and ‘Unborn child with concerns — Pre-birth procedure’\./);
    assert.ok(!/domestic abuse is treated as a risk of significant harm/.test(medway));
    const dudley = flat(mainOf((await get('/thresholds/dudley/assess')).body));
    assert.match(dudley, /This framework has rules for unborn children: ‘Suspected neglect of an unborn baby: use the GCP2A \(antenatal\)’ and ‘Unborn baby: the Early Help Assessment can be used’\./);
    assert.ok(!/domestic abuse/i.test(dudley.slice(0, dudley.indexOf('Is the child in immediate danger'))));

    for (const [id, indicator] of [['stoke-on-trent', 'stoke.getting-help.domestic-abuse.01'], ['kent-medway-tiers', 'kmt.t2.family-environment.06']]) {
      const form = mainOf((await get(`/thresholds/${id}/assess`)).body);
      assert.ok(!hint.test(form), `${id}: no age rules claimed on the form`);
      const query = `child=unknown&immediateDanger=no&indicators=${indicator}`;
      const result = await get(`/thresholds/${id}/assess/result?${query}`);
      assert.equal(result.statusCode, 200);
      assert.ok(!notApplied.test(mainOf(result.body)), `${id}: no age rules said to be skipped`);
      assert.ok(!notApplied.test(flatPdf((await get(`/thresholds/${id}/assess.pdf?${query}`)).rawPayload)), `${id}: nor in the PDF`);
    }
  });

  test('an unknown age says which of the framework\'s rules were not applied, on the page and in the PDF', async () => {
    const query = `child=unknown&immediateDanger=no&indicators=${DA}`;
    const page = flat(mainOf((await get(`/thresholds/medway/assess/result?${query}`)).body));
    assert.match(page, /You did not give the child’s age, so this framework’s rules for unborn children and babies were not applied: ‘Domestic abuse with an unborn child or a child under one’ and ‘Unborn child with concerns — Pre-birth procedure’\. Change your answers if you know it\./);
    const pdf = flatPdf((await get(`/thresholds/medway/assess.pdf?${query}`)).rawPayload);
    assert.match(pdf, /No age was given, so this framework’s rules for unborn children and babies were not applied: ‘Domestic abuse with an unborn child or a child under one’ and ‘Unborn child with concerns — Pre-birth procedure’\./);
  });
});

describe('versions', () => {
  test('a new version becomes current; the old one stays readable and usable from the version selector', async () => {
    const shipped = (await loadShippedFrameworks()).find((f) => f.id === 'medway')!;
    const next: Framework = {
      ...shipped,
      version: '2099-01',
      indicators: shipped.indicators.map((i) => (i.id === DA ? { ...i, text: 'Concerns about domestic abuse (revised wording)' } : i)),
    };
    await storeFrameworkVersion(t.db, next, { source: 'test: revised copy' });

    const current = await get('/thresholds/medway');
    assert.ok(mainOf(current.body).includes('Concerns about domestic abuse (revised wording)'));
    assert.match(current.body, /<option value="2099-01" selected>2099-01 \(loaded [^)]+\), current<\/option>/);
    assert.match(current.body, /<option value="2024-12">2024-12 \(loaded [^)]+\)<\/option>/);

    const old = await get('/thresholds/medway?version=2024-12');
    assert.equal(old.statusCode, 200);
    const main = mainOf(old.body);
    assert.match(main, /You are reading version 2024-12, which is no longer current/);
    assert.ok(main.includes(DA_TEXT));
    assert.match(main, /href="\/thresholds\/medway\/assess\?version=2024-12"/);

    const oldForm = await get('/thresholds/medway/assess?version=2024-12');
    assert.match(oldForm.body, /<input type="hidden" name="version" value="2024-12">/);
    const oldResult = await get(`/thresholds/medway/assess/result?version=2024-12&child=unborn&immediateDanger=no&indicators=${DA}`);
    assert.equal(oldResult.statusCode, 200);
    assert.ok(mainOf(oldResult.body).includes(`Indicator: ${DA_TEXT}`));
    assert.match(mainOf(oldResult.body), /version 2024-12/);
  });
});
