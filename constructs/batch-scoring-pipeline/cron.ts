/** The five fields of a standard cron expression, with their ranges and names. */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], first: 1 },
  // 0 is Sunday; Kubernetes' cron parser refuses 7, which other crons accept as Sunday too.
  { name: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], first: 0 },
] as const;

const ITEM = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/([0-9]+))?$/;

/** Why a five-field cron expression is invalid, or `undefined` when it is valid. */
export function validCronFields(cron: string): string | undefined {
  if (typeof cron !== 'string') {
    return 'not a string';
  }
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `${fields.length} field(s) given`;
  }
  for (const [index, field] of fields.entries()) {
    const spec = FIELDS[index];
    for (const item of field.split(',')) {
      const match = ITEM.exec(item);
      if (!match) {
        return `${spec.name} "${field}" is not a number, range, list or step`;
      }
      const bounds = match[1] === '*' ? [] : match[1].split('-');
      for (const bound of bounds) {
        const value = valueOf(spec, bound);
        if (value === undefined || value < spec.min || value > spec.max) {
          return `${spec.name} "${bound}" is outside ${spec.min}-${spec.max}`;
        }
      }
      if (bounds.length === 2 && valueOf(spec, bounds[0])! > valueOf(spec, bounds[1])!) {
        return `${spec.name} range "${match[1]}" runs backwards`;
      }
      if (match[2] !== undefined && Number(match[2]) < 1) {
        return `${spec.name} step "${match[2]}" must be at least 1`;
      }
    }
  }
  return undefined;
}

/**
 * The EventBridge Scheduler form of a valid five-field cron expression: six fields (a year added), `?` in
 * whichever day field is `*`, and days of the week numbered 1 (Sunday) to 7 (Saturday) instead of 0-6.
 */
export function cronToEventBridge(cron: string): string {
  const [minute, hour, dayOfMonth, month, dayOfWeek] = cron.trim().split(/\s+/);
  if (dayOfWeek === '*') {
    return `${minute} ${hour} ${dayOfMonth} ${month} ? *`;
  }
  return `${minute} ${hour} ? ${month} ${eventBridgeDaysOfWeek(dayOfWeek)} *`;
}

function eventBridgeDaysOfWeek(field: string): string {
  const spec = FIELDS[4];
  const days = new Set<number>();
  for (const item of field.split(',')) {
    const [, range, step] = ITEM.exec(item)!;
    const [from, to] = range === '*' ? [0, 6] : range.split('-').map((bound) => valueOf(spec, bound)!);
    const last = to ?? (step === undefined ? from : 6);
    for (let day = from; day <= last; day += Number(step ?? 1)) {
      days.add(day);
    }
  }
  return [...days].sort((a, b) => a - b).map((day) => day + 1).join(',');
}

// The most days each month has (February in a leap year).
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `true` for a valid cron whose days of the month exist in none of its months (e.g. `0 2 31 2 *`, the 31st of
 * February): Kubernetes and EventBridge Scheduler accept it, and it never runs.
 */
export function cronNeverFires(cron: string): boolean {
  const [, , dayOfMonth, month, dayOfWeek] = cron.trim().split(/\s+/);
  if (dayOfMonth === '*' || dayOfWeek !== '*') {
    return false;
  }
  const firstDay = Math.min(...expand(FIELDS[2], dayOfMonth));
  return expand(FIELDS[3], month).every((m) => firstDay > DAYS_IN_MONTH[m - 1]);
}

/** The values a valid field matches. */
function expand(spec: (typeof FIELDS)[number], field: string): number[] {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [, range, step] = ITEM.exec(item)!;
    const [from, to] = range === '*' ? [spec.min, spec.max] : range.split('-').map((bound) => valueOf(spec, bound)!);
    const last = to ?? (step === undefined ? from : spec.max);
    for (let value = from; value <= last; value += Number(step ?? 1)) {
      values.add(value);
    }
  }
  return [...values];
}

function valueOf(spec: (typeof FIELDS)[number], token: string): number | undefined {
  if (/^[0-9]+$/.test(token)) {
    return Number(token);
  }
  if ('names' in spec) {
    const index = (spec.names as readonly string[]).indexOf(token.toUpperCase());
    return index < 0 ? undefined : index + spec.first;
  }
  return undefined;
}
