// Turn validation problems into the GOV.UK error summary and inline messages, keeping what the user typed.
import type { z } from 'zod';

export interface FormErrors {
  summary: { text: string; href: string }[];
  /** field name → { text } for the macros' errorMessage option */
  fields: Record<string, { text: string }>;
}

export const noErrors = (): FormErrors => ({ summary: [], fields: {} });

export function addError(errors: FormErrors, field: string, text: string): FormErrors {
  if (!errors.fields[field]) {
    errors.fields[field] = { text };
    errors.summary.push({ text, href: `#${field}` });
  }
  return errors;
}

export function zodFormErrors(error: z.ZodError): FormErrors {
  const errors = noErrors();
  for (const issue of error.issues) addError(errors, String(issue.path[0] ?? 'form'), issue.message);
  return errors;
}

/** For API responses: the first problem, with the field it concerns. */
export function zodApiError(error: z.ZodError, prefix?: string) {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? [])].filter((p) => p !== undefined && p !== '').join('.');
  return {
    error: 'Bad Request',
    field: field || null,
    message: issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'invalid request',
    issues: error.issues.map((i) => ({ field: [prefix, ...i.path].filter((p) => p !== undefined && p !== '').join('.'), message: i.message })),
  };
}

/** Form bodies arrive as strings or arrays of strings; this reads one text field safely. */
export function field(body: unknown, name: string): string {
  if (body && typeof body === 'object' && name in body) {
    const v = (body as Record<string, unknown>)[name];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return '';
}
