import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { pyBindingsFor, pyQualifiedName, type PyBindings } from '../../_shared/static-values.js';

/** Constructors that return a naive datetime unless given a tz, and the positional slot of that tz. */
const NAIVE_UNLESS_TZ: Record<string, number> = {
  'datetime.datetime.now': 0,
  'datetime.datetime.fromtimestamp': 1,
};
/** Always naive (and deprecated since Python 3.12). */
const ALWAYS_NAIVE_UTC = new Set(['datetime.datetime.utcnow', 'datetime.datetime.utcfromtimestamp']);
const ALWAYS_NAIVE_LOCAL = new Set(['datetime.datetime.today']);

/**
 * Local wall-clock time turned straight into text or a calendar field (`datetime.now().strftime(...)`,
 * `.year`, `.date()`): a display or a file name in local time is what the code means.
 */
const LOCAL_DISPLAY_USE = new Set([
  'strftime',
  'isoformat',
  'ctime',
  'date',
  'time',
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'weekday',
  'isoweekday',
  'isocalendar',
  'timetuple',
]);

/** Evidence the file works with aware datetimes, so a naive one will be mixed with them. */
const AWARE_IN_FILE = /\b(timezone\.utc|ZoneInfo|pytz|dateutil\.tz|UTC)\b|\btz(info)?\s*=/;

function usesDjango(bindings: PyBindings): boolean {
  for (const origin of bindings.values()) if (origin === 'django' || origin.startsWith('django.')) return true;
  return false;
}

function severityFor(context: RuleContext, bindings: PyBindings): Severity | undefined {
  return usesDjango(bindings) || AWARE_IN_FILE.test(context.source) ? 'medium' : undefined;
}

type NaiveKind = 'local' | 'utc';

/** Calls that turn a naive datetime into an aware one (`timezone.make_aware(dt)`, `tz.localize(dt)`). */
const MAKES_AWARE = /(^|\.)(make_aware|localize)$/;

/**
 * Whether this use of a naive value is harmless: made aware on the spot (`.replace(tzinfo=...)`,
 * `make_aware(...)`; `.astimezone()` reads naive values as local time, right for `now()` only), or
 * turned into text or a calendar field of the wall clock it was taken from.
 */
function isSafeUse(value: SgNode, kind: NaiveKind): boolean {
  const parent = value.parent();
  if (!parent) return false;
  if (parent.kind() === 'attribute' && parent.field('object')?.id() === value.id()) {
    const attribute = parent.field('attribute')?.text() ?? '';
    const call = parent.parent()?.kind() === 'call' ? parent.parent()! : undefined;
    // `.replace(hour=0)` keeps it naive: judge what happens to the replaced value.
    if (attribute === 'replace') return !!call && (keywordArgument(call, 'tzinfo') !== undefined || isSafeUse(call, kind));
    if (attribute === 'astimezone') return kind === 'local';
    // On UTC wall time read as local, `.timestamp()` is off by the UTC offset and `.isoformat()` has no offset to say it is UTC.
    if (attribute === 'timestamp' || attribute === 'isoformat') return kind === 'local';
    return LOCAL_DISPLAY_USE.has(attribute);
  }
  if (parent.kind() === 'argument_list') {
    const callee = parent.parent()?.field('function')?.text() ?? '';
    return MAKES_AWARE.test(callee);
  }
  return false;
}

/** `stamp = datetime.utcfromtimestamp(ts)` followed only by safe uses of `stamp` in the same scope. */
function assignedAndUsedSafely(call: SgNode, kind: NaiveKind): boolean {
  const assignment = call.parent();
  if (assignment?.kind() !== 'assignment' || assignment.field('right')?.id() !== call.id()) return false;
  const target = assignment.field('left');
  if (target?.kind() !== 'identifier') return false;
  const scope = call.ancestors().find((a) => a.kind() === 'function_definition')?.field('body') ?? call.getRoot().root();
  const after = assignment.range().end.index;
  const uses = scope
    .findAll({ rule: { kind: 'identifier', regex: `^${target.text()}$` } })
    .filter((use) => use.range().start.index > after)
    .filter((use) => !(use.parent()?.kind() === 'assignment' && use.parent()?.field('left')?.id() === use.id()));
  return uses.length > 0 && uses.every((use) => isSafeUse(use, kind));
}

/** Code that branches on `settings.USE_TZ` (around the call, or earlier in its function) chooses naive or aware on purpose. */
function branchesOnUseTz(node: SgNode): boolean {
  const fn = node.ancestors().find((a) => a.kind() === 'function_definition');
  if (fn && /\bUSE_TZ\b/.test(fn.text())) return true;
  return node.ancestors().some((a) => {
    const kind = a.kind();
    if (kind === 'if_statement' || kind === 'conditional_expression') {
      const conditions = kind === 'if_statement' ? [a.field('condition'), ...a.children().filter((c) => c.kind() === 'elif_clause').map((c) => c.field('condition'))] : [a];
      return conditions.some((c) => /\bUSE_TZ\b/.test(c?.text() ?? ''));
    }
    return false;
  });
}

function isHarmless(call: SgNode, kind: NaiveKind): boolean {
  return isSafeUse(call, kind) || assignedAndUsedSafely(call, kind) || branchesOnUseTz(call);
}

export default defineRule({
  meta: {
    id: 'reliability/naive-datetime',
    title: 'Timezone-naive datetime',
    area: 'reliability',
    severity: 'low',
    type: 'bug',
    effort: 'small',
    confidence: 'medium',
    languages: ['py'],
    since: '0.1.0',
    description: '`datetime.now()`, `utcnow()`, `today()` or `fromtimestamp()` without a timezone: a naive datetime used as a point in time.',
    why:
      'A naive datetime has no timezone: compared with an aware one it raises `TypeError`, stored through Django with ' +
      '`USE_TZ = True` it raises a `RuntimeWarning` and is read as the server\'s zone, and across servers or DST changes ' +
      'it silently shifts retention windows and expiry checks (seed 003: cutoffs built with `datetime.now()`). ' +
      '`datetime.utcnow()` is worse: it returns UTC wall time marked as local, so `.timestamp()` is off by the UTC ' +
      'offset, and it is deprecated since Python 3.12. Medium in files that use Django or aware datetimes, Low ' +
      'elsewhere. Not reported: values made aware right away (`.replace(tzinfo=...)`, `make_aware(...)`, `now().astimezone()`), ' +
      'local time turned straight into text or a calendar field (`datetime.now().strftime(...)`, `.year`, `.date()`, also ' +
      'through a variable), log record times (`fromtimestamp(record.created)`), code that branches on `settings.USE_TZ`, `datetime(2024, 1, 1)` literals, `time.time()`, and tests.',
    recommendation:
      'Use aware datetimes: `datetime.now(timezone.utc)` (or `datetime.now(tz=ZoneInfo("Europe/Berlin"))` for local ' +
      'rules), `datetime.fromtimestamp(ts, tz=timezone.utc)`, and in Django `django.utils.timezone.now()`.',
    examples: [
      {
        language: 'py',
        bad: 'from datetime import datetime, timedelta\n\ndef cleanup_old_logs(days):\n    cutoff = datetime.now() - timedelta(days=days)\n    return AuditLog.objects.filter(created_at__lt=cutoff).delete()\n',
        good: 'from datetime import timedelta\nfrom django.utils import timezone\n\ndef cleanup_old_logs(days):\n    cutoff = timezone.now() - timedelta(days=days)\n    return AuditLog.objects.filter(created_at__lt=cutoff).delete()\n',
      },
    ],
    references: [
      'seed 003 (timezone-naive retention logic)',
      'flake8-datetimez DTZ001-DTZ006 (Ruff)',
      'Python 3.12 deprecation of datetime.utcnow()/utcfromtimestamp()',
      'Django docs: time zones, naive and aware datetime objects',
    ],
  },
  // `datetime.now(`, `dt.datetime.utcnow(`, `DT.today(`: the class (or a short alias) right before the call.
  fileFilter: /(datetime|\bdt|\bDT)\.(now|utcnow|today|fromtimestamp|utcfromtimestamp)\s*\(/,
  onFile(context) {
    // One search in the parser's own code instead of a visit per call: few calls in a file qualify.
    const calls = context.root?.findAll({ rule: { kind: 'call', has: { field: 'function', regex: '(now|today|fromtimestamp)$' } } }) ?? [];
    for (const node of calls) checkCall(node, context);
  },
});

function checkCall(node: SgNode, context: RuleContext): void {
    const callee = node.field('function');
    if (callee?.kind() !== 'attribute' && callee?.kind() !== 'identifier') return;
    const bindings = pyBindingsFor(context.file, node, context.source);
    const name = pyQualifiedName(callee, bindings);
    if (!name) return;
    const shown = `\`${callee.text()}(${positionalArguments(node).length ? '...' : ''})\``;
    if (ALWAYS_NAIVE_UTC.has(name)) {
      if (isHarmless(node, 'utc')) return;
      context.report({
        node,
        message: `${shown} returns a naive datetime holding UTC wall time (and is deprecated since Python 3.12); use \`datetime.now(timezone.utc)\`.`,
        severity: severityFor(context, bindings),
      });
      return;
    }
    const tzSlot = NAIVE_UNLESS_TZ[name];
    if (tzSlot === undefined && !ALWAYS_NAIVE_LOCAL.has(name)) return;
    if (tzSlot !== undefined && (keywordArgument(node, 'tz') || positionalArguments(node).length > tzSlot)) return;
    if (node.field('arguments')?.children().some((c) => c.kind() === 'dictionary_splat' || c.kind() === 'list_splat')) return;
    // `fromtimestamp(record.created)`: a log record's time shown in the local zone, as logs are.
    if (/\brecord\.created$/.test(positionalArguments(node)[0]?.text() ?? '')) return;
    if (isHarmless(node, 'local')) return;
    const fix = name.endsWith('fromtimestamp') ? '`datetime.fromtimestamp(ts, tz=timezone.utc)`' : '`datetime.now(timezone.utc)` (or `django.utils.timezone.now()`)';
    context.report({
      node,
      message: `${shown} returns a naive datetime in the server's local zone; use ${fix}.`,
      severity: severityFor(context, bindings),
    });
}
