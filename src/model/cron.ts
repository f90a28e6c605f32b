import { IConstruct } from 'constructs';
import { fail } from './errors';

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec { readonly name: string; readonly min: number; readonly max: number; readonly names?: string[]; readonly namesBase?: number }
const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesBase: 0 },
];

function parseValue(spec: FieldSpec, v: string): number | undefined {
  if (/^\d+$/.test(v)) return parseInt(v, 10);
  const i = spec.names?.indexOf(v.toUpperCase()) ?? -1;
  return i >= 0 ? i + (spec.namesBase ?? 0) : undefined;
}

/** Returns a reason the field is invalid, or undefined. */
function fieldError(spec: FieldSpec, field: string): string | undefined {
  for (const item of field.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === '') return `'${item}' is malformed`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step '${step}' must be a positive integer`;
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `range '${range}' is malformed`;
    const nums = bounds.map(b => parseValue(spec, b));
    for (let i = 0; i < nums.length; i++) {
      const n = nums[i];
      if (n === undefined || n < spec.min || n > spec.max) return `'${bounds[i]}' is outside ${spec.min}-${spec.max}`;
    }
    if (nums.length === 2 && nums[0]! > nums[1]!) return `range '${range}' is reversed`;
  }
  return undefined;
}

/** Validates a Kubernetes CronJob schedule (5 fields or a macro; no TZ prefix). @internal */
export function checkCronSchedule(scope: IConstruct, schedule: string): string {
  const s = (schedule ?? '').trim();
  const fixText = "use five fields 'minute hour day-of-month month day-of-week' (e.g. '*/15 * * * *') or a macro such as '@hourly'; set the time zone with the timeZone prop";
  if (/^(CRON_)?TZ=/.test(s)) {
    fail(scope, `schedule '${schedule}' carries a time zone prefix, which Kubernetes rejects`, fixText);
  }
  if (MACROS.has(s)) return s;
  const parts = s.split(/\s+/);
  if (parts.length !== 5) {
    fail(scope, `schedule '${schedule}' has ${s === '' ? 0 : parts.length} fields, expected 5`, fixText);
  }
  for (let i = 0; i < 5; i++) {
    const err = fieldError(FIELDS[i], parts[i]);
    if (err) fail(scope, `schedule '${schedule}' has an invalid ${FIELDS[i].name} field: ${err}`, fixText);
  }
  return parts.join(' ');
}

/** Validates an IANA time zone name (any name the tz database knows, including links). @internal */
const knownTimeZones = new Set<string>();

export function checkTimeZone(scope: IConstruct, tz: string | undefined): void {
  if (tz === undefined || knownTimeZones.has(tz)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    knownTimeZones.add(tz);
  } catch {
    fail(scope, `time zone '${tz}' is not a known IANA time zone`, "use a name from the tz database such as 'Europe/Berlin' or 'UTC'");
  }
}
