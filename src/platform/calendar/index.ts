export * from './iso-date.ts';
export * from './bank-holidays.ts';
export * from './working-days.ts';
export * from './api.ts';
export { OFFICIAL_BANK_HOLIDAYS, OFFICIAL_FIRST_YEAR, OFFICIAL_LAST_YEAR } from './official-bank-holidays.ts';
export type { OfficialBankHoliday } from './official-bank-holidays.ts';
