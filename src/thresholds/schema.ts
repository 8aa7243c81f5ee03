// The shape of a threshold-of-need framework file (src/thresholds/frameworks/*.yaml).
// A framework is public policy turned into data: every level, indicator and rule cites where in the
// published document it comes from, so the engine can always show its reasons.
import { z } from 'zod';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'must be lower-case letters, digits, dots and hyphens');

/** Where in the published document a level, indicator or rule comes from. */
export const citationSchema = z
  .object({
    /** Section or table heading as printed in the source, e.g. "Medway Levels of Need and Support — Level 2". */
    section: z.string().min(1),
    /** Page number(s) when the source is paginated, e.g. "12" or "12-13". */
    page: z.string().optional(),
    /** Line range in the seed text, e.g. "410-418", to find the words again. */
    lines: z.string().regex(/^\d+(-\d+)?$/, 'must be a line number or range like 410-418').optional(),
  })
  .strict();

export const contactSchema = z
  .object({
    name: z.string().min(1),
    phone: z.string().optional(),
    email: z.string().optional(),
    url: z.string().optional(),
    hours: z.string().optional(),
    notes: z.string().optional(),
  })
  .strict();

export const levelSchema = z
  .object({
    id: slug,
    /** 1 = lowest need. Ranks are unique and consecutive from 1. */
    rank: z.number().int().min(1),
    name: z.string().min(1),
    description: z.string().min(1),
    response: z
      .object({
        /** What the practitioner should do at this level. */
        summary: z.string().min(1),
        /** How to access the service (forms, portals, front door). */
        access: z.string().optional(),
        contacts: z.array(contactSchema).default([]),
      })
      .strict(),
    consent: z
      .object({
        required: z.boolean(),
        /** When consent is not needed, or other conditions on it, in the source's words where possible. */
        note: z.string().optional(),
      })
      .strict(),
    source: citationSchema,
  })
  .strict();

export const domainSchema = z
  .object({
    id: slug,
    name: z.string().min(1),
    description: z.string().optional(),
    subdomains: z.array(z.object({ id: slug, name: z.string().min(1) }).strict()).default([]),
  })
  .strict();

export const indicatorSchema = z
  .object({
    /** Stable id: never reuse or renumber once published, assessments refer to it. */
    id: slug,
    /** Verbatim text from the source. */
    text: z.string().min(1),
    level: slug,
    domain: slug,
    subdomain: slug.optional(),
    /** Cross-cutting themes used by rules, e.g. domestic-abuse, substance-misuse, mental-health. */
    tags: z.array(slug).default([]),
    source: citationSchema,
  })
  .strict();

/** A declarative condition over the assessment input. Exactly one key per condition object. */
export type Condition =
  | { allOf: Condition[] }
  | { anyOf: Condition[] }
  | { not: Condition }
  | { unborn: true }
  | { ageUnderMonths: number }
  | { ageAtLeastMonths: number }
  | { immediateDanger: true }
  | { indicatorSelected: string[] }
  | { indicatorTagged: string }
  | { countAtLevel: { level: string; atLeast: number } }
  | { countAtLevelOrAbove: { level: string; atLeast: number } }
  | { countInDomainsAtLevel: { level: string; atLeast: number } };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ allOf: z.array(conditionSchema).min(1) }).strict(),
    z.object({ anyOf: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z.object({ unborn: z.literal(true) }).strict(),
    z.object({ ageUnderMonths: z.number().int().min(0) }).strict(),
    z.object({ ageAtLeastMonths: z.number().int().min(0) }).strict(),
    z.object({ immediateDanger: z.literal(true) }).strict(),
    z.object({ indicatorSelected: z.array(slug).min(1) }).strict(),
    z.object({ indicatorTagged: slug }).strict(),
    z.object({ countAtLevel: z.object({ level: slug, atLeast: z.number().int().min(1) }).strict() }).strict(),
    z
      .object({ countAtLevelOrAbove: z.object({ level: slug, atLeast: z.number().int().min(1) }).strict() })
      .strict(),
    // Number of distinct domains having at least one selected indicator at that level or above.
    z
      .object({ countInDomainsAtLevel: z.object({ level: slug, atLeast: z.number().int().min(1) }).strict() })
      .strict(),
  ]),
);

export const ruleSchema = z
  .object({
    id: slug,
    /** What the rule is, in a few words, for lists. */
    title: z.string().min(1),
    when: conditionSchema,
    /** Raise the suggested level to at least this level (never lowers it). */
    raiseTo: slug.optional(),
    /** Advice shown to the practitioner when the rule applies (e.g. consider stepping up). */
    advice: z.string().optional(),
    /**
     * Advice-only rules: give the advice only while the suggested level, once settled, is below this level.
     * For advice that points to this level or a lower one (e.g. "consider Level 3"), moot once it is reached.
     */
    onlyBelow: slug.optional(),
    /** Why, in the source's words where possible; shown as the reason. */
    explanation: z.string().min(1),
    source: citationSchema,
  })
  .strict()
  .refine((rule) => rule.raiseTo !== undefined || rule.advice !== undefined, {
    message: 'a rule must raise the level (raiseTo) or give advice (advice), or both',
  });

export const frameworkSchema = z
  .object({
    id: slug,
    name: z.string().min(1),
    publisher: z.string().min(1),
    version: z.string().min(1),
    published: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be YYYY-MM or YYYY-MM-DD'),
    updated: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be YYYY-MM or YYYY-MM-DD').optional(),
    reviewDue: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be YYYY-MM or YYYY-MM-DD').optional(),
    source: z
      .object({
        title: z.string().min(1),
        /** The seed file or public address the framework was encoded from. */
        document: z.string().min(1),
        url: z.string().optional(),
      })
      .strict(),
    /** What to do when a child is in immediate danger, as the source says it. */
    immediateDanger: z
      .object({ instruction: z.string().min(1), source: citationSchema })
      .strict(),
    levels: z.array(levelSchema).min(2),
    domains: z.array(domainSchema).min(1),
    indicators: z.array(indicatorSchema).min(1),
    rules: z.array(ruleSchema).default([]),
  })
  .strict();

export type Citation = z.infer<typeof citationSchema>;
export type Level = z.infer<typeof levelSchema>;
export type Domain = z.infer<typeof domainSchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type Framework = z.infer<typeof frameworkSchema>;
