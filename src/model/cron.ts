import { IConstruct } from 'constructs';
import { fail } from './errors';

// Kubernetes validates spec.schedule with robfig/cron v3's ParseStandard (minute hour dom month dow, plus
// descriptors) and, on create, rejects any schedule that contains "TZ". This module accepts exactly that,
// and additionally rejects schedules that can never fire (which the controller only reports at run time).

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Go's strings.Fields splits on unicode.IsSpace, which differs from JavaScript's \s (U+0085 yes, U+FEFF no). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const MAX_INT64 = 2n ** 63n - 1n;

interface FieldSpec { readonly name: string; readonly min: number; readonly max: number; readonly names?: string[]; readonly namesBase?: number }
const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesBase: 1 },
  { name: 'day of week', min: 0, max: 6, names: DAYS, namesBase: 0 },
];

/** The values a field selects and whether it counts as '*' (which changes how day of month and day of week combine). */
interface FieldValues { readonly values: Set<number>; readonly star: boolean }

/** Go's strconv.Atoi: optional sign, decimal digits, int64 range. */
function atoi(v: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(v)) return undefined;
  const n = BigInt(v);
  return n > MAX_INT64 || n < -MAX_INT64 - 1n ? undefined : n;
}

/** A number (or a month/day name, any case) as robfig's parseIntOrName reads it; a string is the reason it is not one. */
function intOrName(spec: FieldSpec, v: string): bigint | string {
  const i = spec.names?.indexOf(v.toLowerCase()) ?? -1;
  if (i >= 0) return BigInt(i + (spec.namesBase ?? 0));
  const n = atoi(v);
  if (n === undefined) return `'${v}' is not a number${spec.names ? ` or a name (${spec.names[0].toUpperCase()}-${spec.names[spec.names.length - 1].toUpperCase()})` : ''}`;
  if (n < 0n) return `'${v}' is negative`;
  return n;
}

/** One comma-separated item: '*' or '?', a value, or a range, each with an optional '/step' (robfig's getRange). */
function parseRange(spec: FieldSpec, item: string, into: Set<number>): { star: boolean } | string {
  const rangeAndStep = item.split('/');
  if (rangeAndStep.length > 2) return `'${item}' has more than one '/'`;
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: bigint;
  let end: bigint;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // robfig ignores anything after '*-' here; Kubernetes therefore accepts '*-5' as '*'.
    [start, end, star] = [BigInt(spec.min), BigInt(spec.max), true];
  } else {
    if (lowAndHigh.length > 2) return `'${item}' has more than one '-'`;
    const low = intOrName(spec, lowAndHigh[0]);
    if (typeof low === 'string') return low;
    const high = lowAndHigh.length === 2 ? intOrName(spec, lowAndHigh[1]) : low;
    if (typeof high === 'string') return high;
    [start, end] = [low, high];
  }
  let step = 1n;
  if (rangeAndStep.length === 2) {
    const s = atoi(rangeAndStep[1]);
    if (s === undefined || s < 0n) return `step '${rangeAndStep[1]}' must be a positive integer`;
    step = s;
    if (lowAndHigh.length === 1) end = BigInt(spec.max); // 'N/step' means 'N-max/step'
    if (step > 1n) star = false;
  }
  const bounds = `${spec.min}-${spec.max}`;
  const value = (n: bigint) => (item === String(n) ? `'${item}'` : `'${n}' in '${item}'`);
  if (start < spec.min) return `${value(start)} is outside ${bounds}`;
  if (end > spec.max) return `${value(end)} is outside ${bounds}${spec.name === 'day of week' && end === 7n ? " (Kubernetes' parser has no 7 for Sunday: use 0 or SUN)" : ''}`;
  if (start > end) return `range '${item}' is reversed`;
  if (step === 0n) return `step '${rangeAndStep[1]}' must be a positive integer`;
  for (let v = start; v <= end; v += step) into.add(Number(v));
  return { star };
}

/** A field is a comma-separated list; empty items are skipped as robfig's strings.FieldsFunc does. */
function parseField(spec: FieldSpec, field: string): FieldValues | string {
  const values = new Set<number>();
  let star = false;
  for (const item of field.split(',').filter(i => i !== '')) {
    const r = parseRange(spec, item, values);
    if (typeof r === 'string') return r;
    star = star || r.star;
  }
  return { values, star };
}

/** Go's time.ParseDuration grammar: [-+]?([0-9]*(\.[0-9]*)?unit)+ or '0', within ±292 years. */
function isGoDuration(v: string): boolean {
  const unsigned = v.replace(/^[-+]/, '');
  if (unsigned === '0') return true;
  if (!/^((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(unsigned)) return false;
  const ns: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
  let total = 0;
  for (const [, n, unit] of unsigned.matchAll(/(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(n) * ns[unit];
  return total <= Number(MAX_INT64);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]; // February 29 occurs within robfig's 5-year search

/** Why a parsed schedule can never fire, or undefined. robfig ANDs day of month and day of week when either is '*', else ORs them. */
function neverFires(f: FieldValues[]): string | undefined {
  const [minute, hour, dom, month, dow] = f;
  for (const [i, v] of [[0, minute], [1, hour], [3, month]] as const) {
    if (v.values.size === 0) return `its ${FIELDS[i].name} field selects no value`;
  }
  const dateExists = [...month.values].some(m => [...dom.values].some(d => d <= DAYS_IN_MONTH[m - 1]));
  const monthNames = [...month.values].map(m => MONTHS[m - 1].toUpperCase()).join(', ');
  if (dom.star || dow.star) {
    if (dow.values.size === 0) return 'its day of week field selects no value';
    if (!dateExists) return dom.values.size === 0 ? 'its day of month field selects no value' : `no day ${[...dom.values].join(', ')} occurs in ${monthNames}`;
  } else if (!dateExists && dow.values.size === 0) {
    return `no day ${[...dom.values].join(', ')} occurs in ${monthNames}`;
  }
  return undefined;
}

const FIX = "use five fields 'minute hour day-of-month month day-of-week' (e.g. '*/15 * * * *'), a macro such as '@hourly' or '@every 2h'; set the time zone with the timeZone prop";

/**
 * Validates a Kubernetes CronJob schedule exactly as the API server does (robfig/cron v3 ParseStandard, no 'TZ'),
 * and rejects schedules that can never fire. Returns the schedule to render (fields joined by single spaces).
 * @internal
 */
export function checkCronSchedule(scope: IConstruct, schedule: string): string {
  const known = typeof schedule === 'string' ? validSchedules.get(schedule) : undefined;
  if (known !== undefined) return known;
  const rendered = parseSchedule(scope, schedule);
  if (validSchedules.size < VALID_SCHEDULES_LIMIT) validSchedules.set(schedule, rendered);
  return rendered;
}

/**
 * Schedules already accepted, with what they render to: the check is a pure function of the text and many
 * scheduled tasks share a few schedules (a refused one is not kept: it fails again, with its own construct).
 */
const validSchedules = new Map<string, string>();
const VALID_SCHEDULES_LIMIT = 10_000;

function parseSchedule(scope: IConstruct, schedule: string): string {
  const s = typeof schedule === 'string' ? schedule : '';
  if (s.includes('TZ')) {
    fail(scope, `schedule '${schedule}' carries a time zone (TZ= or CRON_TZ=), which Kubernetes rejects`, FIX);
  }
  if (s.startsWith('@')) {
    if (DESCRIPTORS.has(s)) return s;
    if (s.startsWith('@every ') && isGoDuration(s.slice('@every '.length))) return s;
    fail(scope, `schedule '${schedule}' is not a macro Kubernetes knows (${[...DESCRIPTORS].join(', ')}, or '@every <duration>' such as '@every 1h30m')`, FIX);
  }
  const parts = s.split(GO_SPACE).filter(p => p !== '');
  if (parts.length !== 5) {
    fail(scope, `schedule '${schedule}' has ${parts.length} fields, expected 5`, FIX);
  }
  const fields = parts.map((part, i) => {
    const r = parseField(FIELDS[i], part);
    if (typeof r === 'string') fail(scope, `schedule '${schedule}' has an invalid ${FIELDS[i].name} field: ${r}`, FIX);
    return r;
  });
  const never = neverFires(fields);
  if (never) {
    const fix = never.startsWith('no day') ? 'choose a date that exists (February has at most 29 days; April, June, September and November 30)' : FIX;
    fail(scope, `schedule '${schedule}' can never fire: ${never}`, fix);
  }
  return parts.join(' ');
}

/** Kubernetes' rule for each '/'-separated part of a time zone name (pkg/apis/batch/validation). */
const TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;
const knownTimeZones = new Set<string>();

/** Whether every '/'-separated part of a name follows {@link TZ_PART} and is not a relative step. */
function isTimeZoneSyntax(tz: string): boolean {
  return !tz.split('/').some(p => p === '.' || p === '..' || p.startsWith('-') || !TZ_PART.test(p));
}

/**
 * Names that pass every check below without an Intl.DateTimeFormat: the runtime's canonical zone
 * names (each resolves to itself) and 'UTC' (which ECMA-402 resolves to itself), kept if they pass
 * the syntax checks. Listing them takes ~5 ms, whereas the first DateTimeFormat of a process loads
 * ICU's formatting data (~90 ms); that path stays for aliases and misspelled names. Built on the
 * first time zone checked.
 */
let canonicalTimeZones: Set<string> | undefined;

function isCanonicalTimeZone(tz: string): boolean {
  canonicalTimeZones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]
    .filter(name => isTimeZoneSyntax(name) && name.toLowerCase() !== 'local'));
  return canonicalTimeZones.has(tz);
}

const TZ_FIX = "use a name from the tz database, spelled as it is there, such as 'Europe/Berlin' or 'UTC'";

/** Validates a CronJob time zone as Kubernetes does: an IANA name Go's tz database loads, never 'Local'. @internal */
export function checkTimeZone(scope: IConstruct, tz: string | undefined): void {
  if (tz === undefined || knownTimeZones.has(tz)) return;
  if (typeof tz === 'string' && isCanonicalTimeZone(tz)) {
    knownTimeZones.add(tz);
    return;
  }
  if (typeof tz !== 'string' || !isTimeZoneSyntax(tz)) {
    fail(scope, `time zone '${tz}' is not a valid IANA time zone name`, TZ_FIX);
  }
  if (tz.toLowerCase() === 'local') {
    fail(scope, `time zone '${tz}' names the controller's local zone, which Kubernetes rejects`, TZ_FIX);
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    fail(scope, `time zone '${tz}' is not a known IANA time zone`, TZ_FIX);
  }
  // Go looks names up case-sensitively; Intl does not.
  if (resolved.toLowerCase() === tz.toLowerCase() && resolved !== tz) {
    fail(scope, `time zone '${tz}' is spelled '${resolved}' in the tz database (Kubernetes matches names case-sensitively)`, TZ_FIX);
  }
  knownTimeZones.add(tz);
}
