// Whether code only runs in some environments: a setting switched on inside
// `if settings.DEBUG:` / `if (process.env.NODE_ENV !== 'production')` is a deliberate,
// per-environment choice, not a hard-coded one.
import type { SgNode } from '@ast-grep/napi';

/** Conditions that choose by environment or by an explicit opt-in setting. */
export const ENVIRONMENT_CONDITION =
  /\b(NODE_ENV|APP_ENV|ENV|ENVIRONMENT|DEBUG|is_?dev\w*|isDev\w*|is_?prod\w*|isProd\w*|is_?local\w*|isLocal\w*|development|production|dev|local|staging|getenv|environ|process\.env|settings\.\w+|config\.\w+|import\.meta\.env|insecure\w*|INSECURE\w*|allow_?self_?signed\w*|allowSelfSigned\w*)\b/i;

/** `if __name__ == "__main__":` chooses an entry point, not an environment. */
const MAIN_GUARD = /^\s*__name__\s*==\s*['"]__main__['"]\s*$|^\s*['"]__main__['"]\s*==\s*__name__\s*$/;

function conditionOf(statement: SgNode, family: 'py' | 'ts'): string | undefined {
  const kind = statement.kind();
  if (family === 'py') {
    if (kind === 'if_statement' || kind === 'elif_clause' || kind === 'while_statement') return statement.field('condition')?.text();
    if (kind === 'conditional_expression') return statement.children().filter((c) => c.isNamed())[1]?.text();
    return undefined;
  }
  if (kind === 'if_statement' || kind === 'ternary_expression') return statement.field('condition')?.text();
  // `isDev && app.use(errorHandler())`
  if (kind === 'binary_expression' && /^(&&|\|\|)$/.test(statement.field('operator')?.text() ?? '')) return statement.field('left')?.text();
  return undefined;
}

/** What the nearest environment check around a node selects it for. */
export type GuardKind = 'development' | 'production' | 'opt-out' | 'configured';

const DEVELOPMENT_WORD = /\b(dev|develop|development|local|localhost|test|testing|DEBUG|\w*debug\w*|is_?dev\w*|isDev\w*|is_?local\w*|isLocal\w*)\b/i;
const PRODUCTION_WORD = /\b(prod|production|is_?prod\w*|isProd\w*)\b/i;
/** A switch named for turning the check off: `INSECURE_TLS`, `allowSelfSigned`, `SKIP_VERIFY`, `not settings.VERIFY_SSL`. */
const OPT_OUT_WORD = /(insecure|self_?signed|selfSigned|skip_?(tls|ssl|verif)|verify|verification|reject_?unauthorized|rejectUnauthorized|unsafe)/i;
const NEGATED = /!==|!=|\bnot\b|(^|[^=!])!\s*[\w(]/;

function inAlternative(statement: SgNode, child: SgNode): boolean {
  const kind = statement.kind();
  if (kind === 'ternary_expression') return statement.field('alternative')?.id() === child.id() || (statement.field('alternative')?.range().start.index ?? Infinity) <= child.range().start.index;
  if (kind === 'conditional_expression') {
    // Python: `a if cond else b`: the third named child is the else value.
    const parts = statement.children().filter((c) => c.isNamed());
    return parts[2] !== undefined && parts[2].range().start.index <= child.range().start.index;
  }
  return false;
}

/**
 * The nearest enclosing `if`/`elif`/`else`/ternary (up to the function boundary) that decides by
 * environment, and which environment the node's branch is for. `if __name__ == "__main__":`
 * is an entry point, not an environment.
 */
export function environmentGuard(node: SgNode, family: 'py' | 'ts'): GuardKind | undefined {
  let child = node;
  for (const ancestor of node.ancestors()) {
    const kind = String(ancestor.kind());
    if (family === 'py' && (kind === 'function_definition' || kind === 'class_definition' || kind === 'module')) return undefined;
    if (family === 'ts' && (kind === 'program' || kind === 'class_body')) return undefined;
    const isElse = kind === 'else_clause';
    const statement = isElse ? ancestor.parent() : ancestor;
    const previousChild = child;
    child = ancestor;
    if (!statement) continue;
    const condition = conditionOf(statement, family);
    if (condition === undefined || MAIN_GUARD.test(condition)) continue;
    if (statement.kind() === 'if_statement' && !isElse && statement.field('condition')?.id() === previousChild.id()) continue;
    if (!ENVIRONMENT_CONDITION.test(condition) && !OPT_OUT_WORD.test(condition)) continue;
    const flipped = isElse || inAlternative(statement, previousChild);
    const negated = NEGATED.test(condition) !== flipped;
    if (PRODUCTION_WORD.test(condition)) return negated ? 'development' : 'production';
    if (DEVELOPMENT_WORD.test(condition)) return negated ? 'production' : 'development';
    if (OPT_OUT_WORD.test(condition)) return 'opt-out';
    return 'configured';
  }
  return undefined;
}

/** Whether the node runs only in development or behind a configuration switch (not in a production-only branch). */
export function isEnvironmentGuarded(node: SgNode, family: 'py' | 'ts'): boolean {
  const guard = environmentGuard(node, family);
  return guard !== undefined && guard !== 'production';
}

/** Files meant for development only: `settings/dev.py`, `local_settings.py`, `run_dev.py`, examples and docs. */
export function isDevelopmentOnlyFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const stem = base.replace(/\.[^.]+$/, '');
  if (/(^|[._-])(dev|develop|development|local|test|testing|tests|ci|e2e|debug)$/i.test(stem)) return true;
  if (/^(dev|develop|development|local|debug|devserver|dev_?server|run_?dev|start_?dev)([._-]|$)/i.test(stem)) return true;
  return /(^|\/)(examples?|samples?|docs?|demos?|dev|development)\//.test(path);
}
