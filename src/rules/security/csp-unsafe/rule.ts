import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { pyStaticString, tsStaticString, unwrapTsExpression } from '../../_shared/static-values.js';
import { environmentGuard, isDevelopmentOnlyFile } from '../../_shared/environment-guard.js';

type Directive = 'script-src' | 'script-src-elem' | 'default-src';
const DIRECTIVES = new Set<string>(['script-src', 'script-src-elem', 'default-src']);

/** django-csp 4 constants (`from csp.constants import UNSAFE_INLINE, NONCE`). */
const CONSTANT_SOURCES: Record<string, string> = {
  UNSAFE_INLINE: "'unsafe-inline'",
  UNSAFE_EVAL: "'unsafe-eval'",
  NONCE: "'nonce-'",
  STRICT_DYNAMIC: "'strict-dynamic'",
};

interface Weakness {
  /** 'unsafe-inline' that browsers honour: not neutralised by a nonce, a hash or 'strict-dynamic' (CSP 3). */
  inline: boolean;
  eval: boolean;
}

/** What a directive's source list allows. */
function weaknessOf(sources: string[]): Weakness {
  const lower = sources.map((s) => s.toLowerCase());
  const inline = lower.includes("'unsafe-inline'");
  const neutralised = lower.some((s) => /^'(nonce-|sha(256|384|512)-|strict-dynamic')/.test(s));
  return { inline: inline && !neutralised, eval: lower.includes("'unsafe-eval'") };
}

function describe(directive: string, weakness: Weakness): string | undefined {
  const allowed = [weakness.inline ? "'unsafe-inline'" : '', weakness.eval ? "'unsafe-eval'" : ''].filter(Boolean);
  if (!allowed.length) return undefined;
  const fallback = directive === 'default-src' ? ' (no script-src, so it governs scripts)' : '';
  const effect = [
    weakness.inline ? 'injected `<script>` tags and `on*=` attributes run' : '',
    weakness.eval ? 'strings reach `eval`/`new Function`' : '',
  ].filter(Boolean);
  return `Content-Security-Policy ${directive}${fallback} allows ${allowed.join(' and ')}: ${effect.join(' and ')}, so the policy no longer stops XSS.`;
}

/** Whether a statement or object around the node also sets script-src (so default-src is not the fallback). */
function scriptSrcNearby(node: SgNode): boolean {
  const scope = node.ancestors().find((a) =>
    ['expression_statement', 'lexical_declaration', 'variable_declaration', 'return_statement', 'assignment', 'dictionary', 'object', 'export_statement'].includes(String(a.kind())),
  );
  return /script-?src|scriptSrc|SCRIPT_SRC/i.test(scope?.text().replace(/default-?src/gi, '') ?? '');
}

/**
 * Policies that do not protect production users: report-only ones (`Content-Security-Policy-Report-Only`,
 * helmet `reportOnly: true`, django-csp `CSP_REPORT_ONLY = True`) block nothing, and development-only
 * ones are never shipped.
 */
function isNotEnforced(node: SgNode, context: RuleContext): boolean {
  // Development servers often need 'unsafe-eval' (hot reload).
  if (isDevelopmentOnlyFile(context.file.path) || environmentGuard(node, context.file.family === 'py' ? 'py' : 'ts') === 'development') return true;
  if (/^CSP_REPORT_ONLY\s*=\s*True/m.test(context.source)) return true;
  const statement = node.ancestors().find((a) => ['expression_statement', 'lexical_declaration', 'variable_declaration', 'return_statement'].includes(String(a.kind())));
  return /report[-_]?only/i.test((statement ?? node).text());
}

/** Parses a policy string (`default-src 'self'; script-src 'self' 'unsafe-inline'`) into its script directives. */
function scriptDirectivesIn(policy: string): Map<Directive, string[]> {
  const found = new Map<Directive, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    const lower = (name ?? '').toLowerCase();
    if (DIRECTIVES.has(lower)) found.set(lower as Directive, sources);
  }
  return found;
}

function checkPolicyString(node: SgNode, raw: string, context: RuleContext): void {
  const text = raw.replace(/^[rbfuRBFU]*("""|'''|"|'|`)/, '').replace(/("""|'''|"|'|`)$/, '');
  if (!/unsafe-(inline|eval)/i.test(text) || !/(script-src|default-src)\s/i.test(text)) return;
  const directives = scriptDirectivesIn(text);
  const checks: [string, string[]][] = [];
  for (const name of ['script-src', 'script-src-elem'] as const) {
    const sources = directives.get(name);
    if (sources) checks.push([name, sources]);
  }
  const fallback = directives.get('default-src');
  if (!directives.has('script-src') && fallback && !scriptSrcNearby(node)) checks.push(['default-src', fallback]);
  for (const [name, sources] of checks) {
    const message = describe(name, weaknessOf(sources));
    if (message && !isNotEnforced(node, context)) {
      context.report({ node, message });
      return;
    }
  }
}

/** `scriptSrc` → `script-src`; `'script-src'` → `script-src`. */
function directiveName(key: SgNode | null | undefined): string | undefined {
  if (!key) return undefined;
  const text = (pyStaticString(key) ?? tsStaticString(key) ?? key.text()).replace(/_/g, '-');
  return text.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Source tokens of a structured directive value: a list of strings/constants, or one space-separated string. */
function sourcesOf(value: SgNode, family: 'py' | 'ts'): string[] {
  const staticString = (n: SgNode) => (family === 'py' ? pyStaticString(n) : tsStaticString(n));
  const one = staticString(value);
  if (one !== undefined) return one.split(/\s+/).filter(Boolean);
  const node = family === 'ts' ? unwrapTsExpression(value) : value;
  if (!['list', 'tuple', 'array', 'set'].includes(String(node.kind()))) return [];
  const sources: string[] = [];
  for (const element of node.children().filter((c) => c.isNamed() && c.kind() !== 'comment')) {
    const text = staticString(element);
    if (text !== undefined) sources.push(...text.split(/\s+/).filter(Boolean));
    else {
      const constant = CONSTANT_SOURCES[element.text().split('.').pop() ?? ''];
      if (constant) sources.push(constant);
      // helmet: `(req, res) => \`'nonce-${res.locals.cspNonce}'\``
      else if (/nonce/i.test(element.text())) sources.push("'nonce-'");
    }
  }
  return sources;
}

/** A file that asks the framework to add a nonce to script-src (Flask-Talisman, django-csp 3). */
function nonceConfigured(context: RuleContext): boolean {
  return /(content_security_policy_nonce_in|CSP_INCLUDE_NONCE_IN)\s*=\s*[([{]?[^)\]}\n]*script-src/.test(context.source);
}

function checkStructured(node: SgNode, name: string, value: SgNode, family: 'py' | 'ts', context: RuleContext, siblings: SgNode | undefined): void {
  if (!DIRECTIVES.has(name)) return;
  if (name === 'default-src' && siblings) {
    // Another key of the same object sets script-src, which then governs scripts.
    const keys = siblings.children().filter((c) => c.kind() === 'pair').map((p) => directiveName(p.field('key')));
    if (keys.includes('script-src')) return;
    // helmet merges its defaults (`script-src 'self'`) unless `useDefaults: false`.
    const helmetDirectives = family === 'ts' && siblings.parent()?.kind() === 'pair' && directiveName(siblings.parent()?.field('key')) === 'directives';
    if (helmetDirectives && !/useDefaults\s*:\s*false/.test(siblings.parent()?.parent()?.text() ?? '')) return;
  }
  const sources = sourcesOf(value, family);
  if (name !== 'default-src' && nonceConfigured(context)) sources.push("'nonce-'");
  const message = describe(name, weaknessOf(sources));
  if (message && !isNotEnforced(node, context)) context.report({ node, message });
}

const DJANGO_CSP_SETTING = /^CSP_(SCRIPT_SRC|SCRIPT_SRC_ELEM|DEFAULT_SRC)$/;

export default defineRule({
  meta: {
    id: 'security/csp-unsafe',
    title: "CSP allows 'unsafe-inline' or 'unsafe-eval' scripts",
    area: 'security',
    severity: 'medium',
    type: 'security',
    effort: 'medium',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: "A Content-Security-Policy whose script-src (or default-src without script-src) allows 'unsafe-inline' or 'unsafe-eval'.",
    why:
      "A CSP exists to stop injected script from running. `'unsafe-inline'` in script-src lets any injected `<script>` or " +
      "`onerror=` attribute run, and `'unsafe-eval'` lets injected strings reach `eval`: the header is sent but no longer " +
      'protects against XSS (seed 001: `script-src \'unsafe-inline\' \'unsafe-eval\'` in a FastAPI security middleware). ' +
      "Not reported: 'unsafe-inline' in style-src only, 'unsafe-hashes', report-only policies (they block nothing), policies for development only (`NODE_ENV !== production` branches, `settings/dev.py`: hot reload needs 'unsafe-eval'), and 'unsafe-inline' next to a nonce, a hash or " +
      "'strict-dynamic' in the same directive (CSP 3 browsers ignore 'unsafe-inline' then; it is only a fallback for " +
      "old browsers). A default-src is only judged when no script-src is set (helmet keeps its own `script-src 'self'` " +
      'unless `useDefaults: false`).',
    recommendation:
      "Remove 'unsafe-inline' and 'unsafe-eval' from script-src: move inline scripts to files or give them a per-request " +
      "nonce (`'nonce-…'` with `'strict-dynamic'`), and replace `eval`/`new Function` (or string `setTimeout`) with real code.",
    examples: [
      {
        language: 'py',
        bad: 'response.headers["Content-Security-Policy"] = "default-src \'self\'; script-src \'self\' \'unsafe-inline\' \'unsafe-eval\'"\n',
        good: 'response.headers["Content-Security-Policy"] = "default-src \'self\'; script-src \'self\'; style-src \'self\' \'unsafe-inline\'"\n',
      },
      {
        language: 'ts',
        bad: "app.use(helmet({ contentSecurityPolicy: { directives: { scriptSrc: [\"'self'\", \"'unsafe-inline'\"] } } }));\n",
        good: "app.use(helmet({ contentSecurityPolicy: { directives: { scriptSrc: [\"'self'\"], styleSrc: [\"'self'\", \"'unsafe-inline'\"] } } }));\n",
      },
    ],
    references: [
      'seed 001 (permissive CSP: unsafe-inline and unsafe-eval in script-src)',
      "Google CSP Evaluator and Mozilla HTTP Observatory (script-src 'unsafe-inline' / 'unsafe-eval' checks)",
      'MDN: CSP script-src (unsafe-inline is ignored when a nonce or hash is present)',
      'OWASP Content Security Policy Cheat Sheet',
    ],
    cwe: ['CWE-79'],
  },
  fileFilter: /unsafe-(inline|eval)|UNSAFE_(INLINE|EVAL)/,
  visitors: {
    py: {
      string(node, context) {
        // Docstrings describe policies; they do not send them.
        if (node.parent()?.kind() === 'expression_statement') return;
        checkPolicyString(node, node.text(), context);
      },
      pair(node, context) {
        const name = directiveName(node.field('key'));
        const value = node.field('value');
        if (name && value) checkStructured(node, name, value, 'py', context, node.parent() ?? undefined);
      },
      assignment(node, context) {
        const target = node.field('left')?.text() ?? '';
        const value = node.field('right');
        if (!DJANGO_CSP_SETTING.test(target) || !value) return;
        if (target === 'CSP_DEFAULT_SRC' && /^CSP_SCRIPT_SRC\s*=/m.test(context.source)) return;
        const name = target.replace(/^CSP_/, '').replace(/_/g, '-').toLowerCase();
        checkStructured(node, name, value, 'py', context, undefined);
      },
    },
    ts: {
      string(node, context) {
        checkPolicyString(node, node.text(), context);
      },
      template_string(node, context) {
        checkPolicyString(node, node.text(), context);
      },
      pair(node, context) {
        const name = directiveName(node.field('key'));
        const value = node.field('value');
        if (name && value) checkStructured(node, name, value, 'ts', context, node.parent() ?? undefined);
      },
    },
  },
});
