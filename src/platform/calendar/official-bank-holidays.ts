// England and Wales bank holidays as listed by GOV.UK (https://www.gov.uk/bank-holidays,
// division "england-and-wales"), kept here as the authority for the years it covers and
// used to check the date-holidays library. Names follow GOV.UK's titles.
//
// GOV.UK lists only the day off: when 25/26 December or 1 January falls at a weekend the
// weekday substitute is listed and the weekend date is not. Years beyond those GOV.UK has
// published follow the statutory pattern; when a new year is published, compare it with
// the entries here and correct them (one-off holidays are announced with little notice).

export interface OfficialBankHoliday {
  readonly date: string;
  readonly name: string;
}

export const OFFICIAL_FIRST_YEAR = 2015;
export const OFFICIAL_LAST_YEAR = 2030;

const NEW_YEAR = 'New Year’s Day';
const NEW_YEAR_SUB = 'New Year’s Day (substitute day)';
const GOOD_FRIDAY = 'Good Friday';
const EASTER_MONDAY = 'Easter Monday';
const EARLY_MAY = 'Early May bank holiday';
const SPRING = 'Spring bank holiday';
const SUMMER = 'Summer bank holiday';
const CHRISTMAS = 'Christmas Day';
const CHRISTMAS_SUB = 'Christmas Day (substitute day)';
const BOXING = 'Boxing Day';
const BOXING_SUB = 'Boxing Day (substitute day)';

export const OFFICIAL_BANK_HOLIDAYS: readonly OfficialBankHoliday[] = [
  // 2015
  { date: '2015-01-01', name: NEW_YEAR },
  { date: '2015-04-03', name: GOOD_FRIDAY },
  { date: '2015-04-06', name: EASTER_MONDAY },
  { date: '2015-05-04', name: EARLY_MAY },
  { date: '2015-05-25', name: SPRING },
  { date: '2015-08-31', name: SUMMER },
  { date: '2015-12-25', name: CHRISTMAS },
  { date: '2015-12-28', name: BOXING_SUB },
  // 2016
  { date: '2016-01-01', name: NEW_YEAR },
  { date: '2016-03-25', name: GOOD_FRIDAY },
  { date: '2016-03-28', name: EASTER_MONDAY },
  { date: '2016-05-02', name: EARLY_MAY },
  { date: '2016-05-30', name: SPRING },
  { date: '2016-08-29', name: SUMMER },
  { date: '2016-12-26', name: BOXING },
  { date: '2016-12-27', name: CHRISTMAS_SUB },
  // 2017
  { date: '2017-01-02', name: NEW_YEAR_SUB },
  { date: '2017-04-14', name: GOOD_FRIDAY },
  { date: '2017-04-17', name: EASTER_MONDAY },
  { date: '2017-05-01', name: EARLY_MAY },
  { date: '2017-05-29', name: SPRING },
  { date: '2017-08-28', name: SUMMER },
  { date: '2017-12-25', name: CHRISTMAS },
  { date: '2017-12-26', name: BOXING },
  // 2018
  { date: '2018-01-01', name: NEW_YEAR },
  { date: '2018-03-30', name: GOOD_FRIDAY },
  { date: '2018-04-02', name: EASTER_MONDAY },
  { date: '2018-05-07', name: EARLY_MAY },
  { date: '2018-05-28', name: SPRING },
  { date: '2018-08-27', name: SUMMER },
  { date: '2018-12-25', name: CHRISTMAS },
  { date: '2018-12-26', name: BOXING },
  // 2019
  { date: '2019-01-01', name: NEW_YEAR },
  { date: '2019-04-19', name: GOOD_FRIDAY },
  { date: '2019-04-22', name: EASTER_MONDAY },
  { date: '2019-05-06', name: EARLY_MAY },
  { date: '2019-05-27', name: SPRING },
  { date: '2019-08-26', name: SUMMER },
  { date: '2019-12-25', name: CHRISTMAS },
  { date: '2019-12-26', name: BOXING },
  // 2020: the early May bank holiday moved from Monday 4 May to Friday 8 May (VE Day 75).
  { date: '2020-01-01', name: NEW_YEAR },
  { date: '2020-04-10', name: GOOD_FRIDAY },
  { date: '2020-04-13', name: EASTER_MONDAY },
  { date: '2020-05-08', name: 'Early May bank holiday (VE day)' },
  { date: '2020-05-25', name: SPRING },
  { date: '2020-08-31', name: SUMMER },
  { date: '2020-12-25', name: CHRISTMAS },
  { date: '2020-12-28', name: BOXING_SUB },
  // 2021
  { date: '2021-01-01', name: NEW_YEAR },
  { date: '2021-04-02', name: GOOD_FRIDAY },
  { date: '2021-04-05', name: EASTER_MONDAY },
  { date: '2021-05-03', name: EARLY_MAY },
  { date: '2021-05-31', name: SPRING },
  { date: '2021-08-30', name: SUMMER },
  { date: '2021-12-27', name: CHRISTMAS_SUB },
  { date: '2021-12-28', name: BOXING_SUB },
  // 2022: the spring bank holiday moved from Monday 30 May to Thursday 2 June, beside the
  // Platinum Jubilee; a one-off holiday for the State Funeral on 19 September.
  { date: '2022-01-03', name: NEW_YEAR_SUB },
  { date: '2022-04-15', name: GOOD_FRIDAY },
  { date: '2022-04-18', name: EASTER_MONDAY },
  { date: '2022-05-02', name: EARLY_MAY },
  { date: '2022-06-02', name: SPRING },
  { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
  { date: '2022-08-29', name: SUMMER },
  { date: '2022-09-19', name: 'Bank Holiday for the State Funeral of Queen Elizabeth II' },
  { date: '2022-12-26', name: BOXING },
  { date: '2022-12-27', name: CHRISTMAS_SUB },
  // 2023: a one-off holiday for the coronation on 8 May.
  { date: '2023-01-02', name: NEW_YEAR_SUB },
  { date: '2023-04-07', name: GOOD_FRIDAY },
  { date: '2023-04-10', name: EASTER_MONDAY },
  { date: '2023-05-01', name: EARLY_MAY },
  { date: '2023-05-08', name: 'Bank holiday for the coronation of King Charles III' },
  { date: '2023-05-29', name: SPRING },
  { date: '2023-08-28', name: SUMMER },
  { date: '2023-12-25', name: CHRISTMAS },
  { date: '2023-12-26', name: BOXING },
  // 2024
  { date: '2024-01-01', name: NEW_YEAR },
  { date: '2024-03-29', name: GOOD_FRIDAY },
  { date: '2024-04-01', name: EASTER_MONDAY },
  { date: '2024-05-06', name: EARLY_MAY },
  { date: '2024-05-27', name: SPRING },
  { date: '2024-08-26', name: SUMMER },
  { date: '2024-12-25', name: CHRISTMAS },
  { date: '2024-12-26', name: BOXING },
  // 2025
  { date: '2025-01-01', name: NEW_YEAR },
  { date: '2025-04-18', name: GOOD_FRIDAY },
  { date: '2025-04-21', name: EASTER_MONDAY },
  { date: '2025-05-05', name: EARLY_MAY },
  { date: '2025-05-26', name: SPRING },
  { date: '2025-08-25', name: SUMMER },
  { date: '2025-12-25', name: CHRISTMAS },
  { date: '2025-12-26', name: BOXING },
  // 2026
  { date: '2026-01-01', name: NEW_YEAR },
  { date: '2026-04-03', name: GOOD_FRIDAY },
  { date: '2026-04-06', name: EASTER_MONDAY },
  { date: '2026-05-04', name: EARLY_MAY },
  { date: '2026-05-25', name: SPRING },
  { date: '2026-08-31', name: SUMMER },
  { date: '2026-12-25', name: CHRISTMAS },
  { date: '2026-12-28', name: BOXING_SUB },
  // 2027
  { date: '2027-01-01', name: NEW_YEAR },
  { date: '2027-03-26', name: GOOD_FRIDAY },
  { date: '2027-03-29', name: EASTER_MONDAY },
  { date: '2027-05-03', name: EARLY_MAY },
  { date: '2027-05-31', name: SPRING },
  { date: '2027-08-30', name: SUMMER },
  { date: '2027-12-27', name: CHRISTMAS_SUB },
  { date: '2027-12-28', name: BOXING_SUB },
  // 2028
  { date: '2028-01-03', name: NEW_YEAR_SUB },
  { date: '2028-04-14', name: GOOD_FRIDAY },
  { date: '2028-04-17', name: EASTER_MONDAY },
  { date: '2028-05-01', name: EARLY_MAY },
  { date: '2028-05-29', name: SPRING },
  { date: '2028-08-28', name: SUMMER },
  { date: '2028-12-25', name: CHRISTMAS },
  { date: '2028-12-26', name: BOXING },
  // 2029
  { date: '2029-01-01', name: NEW_YEAR },
  { date: '2029-03-30', name: GOOD_FRIDAY },
  { date: '2029-04-02', name: EASTER_MONDAY },
  { date: '2029-05-07', name: EARLY_MAY },
  { date: '2029-05-28', name: SPRING },
  { date: '2029-08-27', name: SUMMER },
  { date: '2029-12-25', name: CHRISTMAS },
  { date: '2029-12-26', name: BOXING },
  // 2030
  { date: '2030-01-01', name: NEW_YEAR },
  { date: '2030-04-19', name: GOOD_FRIDAY },
  { date: '2030-04-22', name: EASTER_MONDAY },
  { date: '2030-05-06', name: EARLY_MAY },
  { date: '2030-05-27', name: SPRING },
  { date: '2030-08-26', name: SUMMER },
  { date: '2030-12-25', name: CHRISTMAS },
  { date: '2030-12-26', name: BOXING },
];
