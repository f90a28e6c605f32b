import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { checkCronSchedule, checkTimeZone } from '../src/model/cron';
import { PlatformValidationError } from '../src/model/errors';

// Kubernetes validates CronJob.spec.schedule in pkg/apis/batch/validation (validateScheduleFormat) with
// robfig/cron v3 ParseStandard: minute, hour, day of month, month, day of week, plus descriptors; on create,
// a schedule containing "TZ" is rejected. Each row names the parser behaviour it pins down.
const scope = () => new Construct(Testing.chart(), 'nightly');

const problemOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof PlatformValidationError) return e.problems.map(p => `${p.message} Fix: ${p.fix}`).join('\n');
    throw e;
  }
  throw new Error('expected a validation error');
};

describe('cron schedules Kubernetes accepts', () => {
  test.each([
    ['*/15 * * * *', 'step over the whole range'],
    ['0 3 * * 1-5', 'range'],
    ['0 3 * * 0', 'day of week 0 is Sunday'],
    ['0 3 * * 6', 'day of week 6 is the maximum (bounds 0-6)'],
    ['0 3 * JAN-MAR MON-FRI', 'month and day names in ranges'],
    ['0 3 * jan,Jul sun', 'names are case-insensitive (strings.ToLower)'],
    ['0 3 ? * ?', "'?' is '*' (in any field)"],
    ['? ? * * *', "'?' in the minute and hour fields too"],
    ['5/15 * * * *', "'N/step' means N-max/step"],
    ['1-59/2 0-23/3 1-31/7 */2 */3', 'ranges with steps'],
    ['0 0 1,15 * *', 'lists'],
    ['0 0 1,,15 * *', 'empty list items are skipped (strings.FieldsFunc)'],
    ['*-5 * * * *', "anything after '*-' is ignored"],
    ['*/100 * * * *', 'a step larger than the range selects the first value'],
    ['+5 +3 * * *', 'strconv.Atoi accepts a + sign'],
    ['05 03 * * *', 'leading zeros'],
    ['  0\t3 * *  *  ', 'any Go white space separates fields (strings.Fields)'],
    ['@yearly', 'descriptor'], ['@annually', 'descriptor'], ['@monthly', 'descriptor'], ['@weekly', 'descriptor'],
    ['@daily', 'descriptor'], ['@midnight', 'descriptor'], ['@hourly', 'descriptor'],
    ['@every 1h30m', "'@every <Go duration>' is a descriptor of ParseStandard"],
    ['@every 90s', '@every with seconds'],
    ['@every 1.5h', '@every with a fraction'],
    ['0 0 30 2 1', 'Feb 30 or any Monday in February: day of month and day of week are ORed when neither is *'],
    ['0 0 29 2 *', 'February 29 fires in leap years'],
  ])("'%s' (%s)", (schedule) => {
    expect(() => checkCronSchedule(scope(), schedule)).not.toThrow();
  });

  test('the rendered schedule has its fields joined by single spaces; macros stay as written', () => {
    expect(checkCronSchedule(scope(), '  0\t3 * *  *  ')).toBe('0 3 * * *');
    expect(checkCronSchedule(scope(), '@every 1h30m')).toBe('@every 1h30m');
  });
});

describe('cron schedules Kubernetes rejects', () => {
  test.each([
    ['', /has 0 fields, expected 5/, 'empty spec string'],
    ['   ', /has 0 fields, expected 5/, 'white space only'],
    ['*/5 * * *', /has 4 fields, expected 5/, 'four fields'],
    ['0 0 3 * * *', /has 6 fields, expected 5/, 'seconds are not part of the standard parser'],
    ['60 * * * *', /minute field: '60' is outside 0-59/, 'minute bounds'],
    ['0 24 * * *', /hour field: '24' is outside 0-23/, 'hour bounds'],
    ['0 0 0 * *', /day of month field: '0' is outside 1-31/, 'day of month bounds'],
    ['0 0 1 13 *', /month field: '13' is outside 1-12/, 'month bounds'],
    ['0 3 * * 7', /day of week field: '7' is outside 0-6 .*use 0 or SUN/, 'day of week 7 (robfig bounds are 0-6)'],
    ['0 3 * * 1-7', /'7' in '1-7' is outside 0-6/, 'day of week 7 at the end of a range'],
    ['0 5-1 * * *', /range '5-1' is reversed/, 'reversed range'],
    ['1-2-3 * * * *', /more than one '-'/, 'too many hyphens'],
    ['*/2/3 * * * *', /more than one '\/'/, 'too many slashes'],
    ['*/0 * * * *', /step '0' must be a positive integer/, 'step 0'],
    ['*/-2 * * * *', /step '-2' must be a positive integer/, 'negative step'],
    ['*/x * * * *', /step 'x' must be a positive integer/, 'step that is not a number'],
    ['-5 * * * *', /'' is not a number/, 'a leading hyphen'],
    ['jan * * * *', /minute field: 'jan' is not a number Fix/, 'names only in the month and day-of-week fields'],
    ['0 0 * JANUARY *', /'JANUARY' is not a number or a name \(JAN-DEC\)/, 'only three-letter names'],
    ['0 0 * * MON#1', /'MON#1' is not a number or a name \(SUN-SAT\)/, 'no Quartz extensions'],
    ['0 0 L * *', /'L' is not a number/, 'no Quartz L'],
    ['0 0 * * 99999999999999999999', /is not a number/, 'beyond int64 (strconv.Atoi fails)'],
    ['TZ=Europe/Berlin 0 3 * * *', /carries a time zone/, 'TZ= prefix: rejected on create'],
    ['CRON_TZ=UTC 0 3 * * *', /carries a time zone/, 'CRON_TZ= prefix: rejected on create'],
    ['@reboot', /not a macro Kubernetes knows/, 'unrecognized descriptor'],
    ['@Hourly', /not a macro Kubernetes knows/, 'descriptors are case-sensitive'],
    ['@hourly ', /not a macro Kubernetes knows/, 'a descriptor is matched as the whole string'],
    [' @hourly', /has 1 fields, expected 5/, 'leading space: not read as a descriptor'],
    ['@every', /not a macro Kubernetes knows/, '@every without a duration'],
    ['@every 1d', /not a macro Kubernetes knows/, 'Go durations have no day unit'],
    ['@every 10', /not a macro Kubernetes knows/, 'Go durations need a unit'],
    ['@every  1h', /not a macro Kubernetes knows/, 'exactly one space after @every'],
    ['@every 3000000h', /not a macro Kubernetes knows/, 'Go durations end at about 292 years'],
  ])("'%s' is rejected: %s (%s)", (schedule, message) => {
    const problem = problemOf(() => checkCronSchedule(scope(), schedule));
    expect(problem).toMatch(message);
    expect(problem).toContain(`schedule '${schedule}'`);
    expect(problem).toMatch(/Fix: (use five fields|choose a date)/);
  });
});

describe('cron schedules that can never fire', () => {
  test.each([
    ['0 0 30 2 *', /can never fire: no day 30 occurs in FEB Fix: choose a date that exists/],
    ['0 0 31 4,6,9,11 *', /no day 31 occurs in APR, JUN, SEP, NOV Fix: choose a date/],
    ['0 0 30,31 FEB ?', /no day 30, 31 occurs in FEB Fix: choose a date/],
    [', * * * *', /can never fire: its minute field selects no value Fix: use five fields/],
    ['0 0 * * ,', /can never fire: its day of week field selects no value Fix: use five fields/],
  ])("'%s' is an error (the controller would never create a Job)", (schedule, message) => {
    expect(problemOf(() => checkCronSchedule(scope(), schedule))).toMatch(message);
  });
});

describe('CronJob time zones', () => {
  test.each(['Europe/Berlin', 'UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires', 'US/Eastern'])('%s is accepted', (tz) => {
    expect(() => checkTimeZone(scope(), tz)).not.toThrow();
  });

  test.each([
    ['', /not a valid IANA time zone name/],
    ['Local', /local zone, which Kubernetes rejects/],
    ['local', /local zone, which Kubernetes rejects/],
    ['Europe/../UTC', /not a valid IANA time zone name/],
    ['+01:00', /not a valid IANA time zone name/],
    ['Europe/Berlin_Mitte_Ost', /not a valid IANA time zone name/], // a part longer than 14 characters
    ['europe/berlin', /spelled 'Europe\/Berlin'/],
    ['Mars/Olympus_Mons', /not a known IANA time zone/],
  ])("'%s' is rejected", (tz, message) => {
    expect(problemOf(() => checkTimeZone(scope(), tz))).toMatch(message);
  });
});
