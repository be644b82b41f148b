import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { looksLikePlaceholder, namesALocation, strongestSecretKind, toUpperSnake, type SecretKind } from '../../_shared/secret-names.js';

/** What one finding is about: where the env is read, under which names, and the literal fallback. */
interface DefaultSecret {
  node: SgNode;
  /** Environment variable names read (`SESSION_SECRET`). */
  envNames: string[];
  /** The setting the value is stored in (`SECRET_KEY`, `secret`), when there is one. */
  target?: string;
  /** The fallback literal's value, and the constant that holds it when it is not inline. */
  value: string;
  constantName?: string;
}

// ---------------------------------------------------------------------------------------------
// Files where a default secret is intended: test and local-development settings, example code.

const DEV_FILE = /(^|[._-])(dev|development|local|test|testing|tests|ci|e2e)$/i;
const DOC_DIR = /(^|\/)(examples?|samples?|docs?)\//;
const TEST_TOOL_CONFIG = /^(jest|vitest|playwright|cypress|karma|wdio)\.config\./;

function isDevOnlyFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const stem = base.replace(/\.[^.]+$/, '');
  return DEV_FILE.test(stem) || DOC_DIR.test(path) || TEST_TOOL_CONFIG.test(base);
}

// ---------------------------------------------------------------------------------------------
// Literals.

function pythonStringValue(node: SgNode | null | undefined): string | undefined {
  if (!node || node.kind() !== 'string') return undefined;
  if (node.children().some((c) => c.kind() === 'interpolation')) return undefined;
  return node.children().filter((c) => c.kind() === 'string_content' || c.kind() === 'escape_sequence').map((c) => c.text()).join('');
}

function tsStringValue(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind() === 'string') return node.children().filter((c) => c.isNamed()).map((c) => c.text()).join('');
  if (node.kind() === 'template_string' && !node.children().some((c) => c.kind() === 'template_substitution')) {
    return node.children().filter((c) => c.kind() === 'string_fragment' || c.kind() === 'escape_sequence').map((c) => c.text()).join('');
  }
  return undefined;
}

/** A module-level `DEFAULT_SECRET = "..."` / `const DEFAULT_SECRET = '...'` the fallback refers to. */
function moduleConstantValue(identifier: SgNode, family: 'py' | 'ts'): string | undefined {
  const root = identifier.getRoot().root();
  const name = identifier.text();
  for (const statement of root.children()) {
    if (family === 'py' && statement.kind() === 'expression_statement') {
      const assignment = statement.children()[0];
      if (assignment?.kind() === 'assignment' && assignment.field('left')?.text() === name) return pythonStringValue(assignment.field('right'));
    }
    if (family === 'ts') {
      const declaration = statement.kind() === 'export_statement' ? statement.field('declaration') : statement;
      if (declaration?.kind() !== 'lexical_declaration') continue;
      for (const declarator of declaration.children().filter((c) => c.kind() === 'variable_declarator')) {
        if (declarator.field('name')?.text() === name) return tsStringValue(declarator.field('value'));
      }
    }
  }
  return undefined;
}

function fallbackValue(node: SgNode | null | undefined, family: 'py' | 'ts'): { value: string; constantName?: string } | undefined {
  if (!node) return undefined;
  const direct = family === 'py' ? pythonStringValue(node) : tsStringValue(node);
  if (direct !== undefined) return { value: direct };
  if (node.kind() === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(node.text())) {
    const value = moduleConstantValue(node, family);
    if (value !== undefined) return { value, constantName: node.text() };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Guards: the default exists for development, and production refuses to start with it.

const ENVIRONMENT_CHECK = /\b(prod|production|is_?prod\w*|DEBUG|NODE_ENV|APP_ENV|ENVIRONMENT|ENV|isDev\w*|is_?dev\w*|development)\b/i;

function failsFast(block: SgNode | null | undefined, family: 'py' | 'ts'): boolean {
  if (!block) return false;
  const [raiseKind, callKind, exitCall] = family === 'py'
    ? ['raise_statement', 'call', /^(sys\.exit|exit|os\._exit)$/]
    : ['throw_statement', 'call_expression', /^process\.exit$/];
  if (block.find({ rule: { kind: raiseKind } })) return true;
  return block.findAll({ rule: { kind: callKind } }).some((call) => exitCall.test(call.field('function')?.text() ?? ''));
}

function isGuarded(found: DefaultSecret, family: 'py' | 'ts'): boolean {
  const root = found.node.getRoot().root();
  const names = [...found.envNames, found.target, found.constantName].filter((n): n is string => Boolean(n));
  const mentions = (text: string) => names.some((n) => new RegExp(`\\b${n.replace(/[^\w]/g, '')}\\b`).test(text));
  const comparesToDefault = (text: string) => found.value.length > 0 && (text.includes(`"${found.value}"`) || text.includes(`'${found.value}'`) || text.includes(`\`${found.value}\``));
  for (const statement of root.findAll({ rule: { kind: 'if_statement' } })) {
    const condition = statement.field('condition')?.text() ?? '';
    const decisive = comparesToDefault(condition) || (found.constantName !== undefined && condition.includes(found.constantName)) || (mentions(condition) && ENVIRONMENT_CHECK.test(condition));
    if (decisive && failsFast(statement.field('consequence'), family)) return true;
  }
  // pydantic: a validator on the field that raises (`@field_validator("secret_key")`).
  if (family === 'py' && found.target) {
    for (const decorated of root.findAll({ rule: { kind: 'decorated_definition' } })) {
      const decorators = decorated.children().filter((c) => c.kind() === 'decorator').map((d) => d.text()).join(' ');
      if (/validator/.test(decorators) && decorators.includes(found.target) && failsFast(decorated.field('definition'), 'py')) return true;
    }
  }
  // `isProd ? requireEnv('JWT_SECRET') : process.env.JWT_SECRET || 'dev'`: the literal is the development branch.
  const conditional = found.node.ancestors().find((a) => a.kind() === 'ternary_expression' || a.kind() === 'conditional_expression');
  if (conditional) {
    const condition = family === 'ts' ? conditional.field('condition')?.text() ?? '' : conditional.children().filter((c) => c.isNamed())[1]?.text() ?? '';
    if (ENVIRONMENT_CHECK.test(condition)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Reporting.

const PUBLIC_ENV_PREFIX = /^(NEXT_PUBLIC|VITE|REACT_APP|EXPO_PUBLIC|NUXT_PUBLIC|GATSBY|PUBLIC|STORYBOOK)_/;

/** `./keys/jwt.pem`, `/run/secrets/x`, `https://...`: where a secret lives, not the secret. */
const LOCATION_VALUE = /^(\.{0,2}\/|~\/|[a-z][\w+.-]*:\/\/)/i;

function report(found: DefaultSecret, context: RuleContext, family: 'py' | 'ts'): void {
  if (found.value.trim() === '' || LOCATION_VALUE.test(found.value) || isDevOnlyFile(context.file.path)) return;
  // NEXT_PUBLIC_*, VITE_*: shipped to every browser, so not a secret whatever it is stored in.
  if (found.envNames.some((name) => PUBLIC_ENV_PREFIX.test(name))) return;
  // SECRET_KEY_PATH, JWT_SECRET_FILE: the variable names where the secret is, whatever the setting is called.
  if (found.envNames.some(namesALocation)) return;
  const kind: SecretKind | undefined = strongestSecretKind(...found.envNames, found.target);
  if (!kind) return;
  if (kind === 'credential' && looksLikePlaceholder(found.value)) return;
  if (isGuarded(found, family)) return;
  // Every copy of the value in the message is masked; keep names that contain it (`secretOrKey` for
  // "secret") out of the message so they stay readable.
  const readable = (name: string | undefined) => (name && !name.includes(found.value) ? name : undefined);
  const envName = found.envNames.map(readable).find(Boolean);
  const target = readable(found.target);
  const subject = target && envName && target !== envName ? `\`${target}\` (from \`${envName}\`)` : `\`${envName ?? target ?? 'this setting'}\``;
  const via = found.constantName && readable(found.constantName) ? ` via \`${found.constantName}\`` : '';
  const isPassword = [...found.envNames, found.target].some((n) => n && /(^|_)(PASSWORD|PASSWD|PWD|PASS|PASSPHRASE)$/.test(toUpperSnake(n)));
  const consequence = kind === 'credential'
    ? 'every deployment without the variable shares one committed credential'
    : isPassword
      ? 'anyone who has the source can then log in with it'
      : 'anyone who has the source can then forge what it protects';
  context.report({
    node: found.node,
    message: `${subject} falls back to the hard-coded "${found.value}"${via} when the environment variable is not set; ${consequence}.`,
    secrets: [found.value],
  });
}

// ---------------------------------------------------------------------------------------------
// Python: os.getenv / os.environ.get / setdefault, decouple `config`, django-environ `env`,
// `os.getenv("X") or "literal"`, pydantic BaseSettings fields.

const PY_ENV_GETTERS = /^(os\.getenv|getenv|os\.environ\.get|environ\.get|os\.environ\.setdefault|environ\.setdefault)$/;

function pythonEnvRead(call: SgNode, context: RuleContext): { name: string; fallback?: SgNode } | undefined {
  if (call.kind() !== 'call') return undefined;
  const callee = call.field('function')?.text() ?? '';
  const decouple = /^(decouple\.)?config$/.test(callee) && /^\s*(from decouple import|import decouple)/m.test(context.source);
  const djangoEnviron = /^env(\.(str|bytes))?$/.test(callee) && /environ\.Env\(/.test(context.source);
  if (!PY_ENV_GETTERS.test(callee) && !decouple && !djangoEnviron) return undefined;
  const args = positionalArguments(call);
  const name = pythonStringValue(args[0]);
  if (!name) return undefined;
  return { name, fallback: args[1] ?? keywordArgument(call, 'default') };
}

/** Where the value goes: `SECRET_KEY = ...`, `app.secret_key = ...`, `app.config["SECRET_KEY"] = ...`, `secret_key=...`. */
function pythonTargetOf(node: SgNode): string | undefined {
  let current = node;
  let parent = current.parent();
  while (parent && (parent.kind() === 'parenthesized_expression' || parent.kind() === 'boolean_operator' || (parent.kind() === 'argument_list' && /^(str|bytes)$/.test(parent.parent()?.field('function')?.text() ?? '')) || parent.kind() === 'call' && current.kind() === 'argument_list')) {
    current = parent;
    parent = current.parent();
  }
  if (!parent) return undefined;
  if (parent.kind() === 'assignment' && parent.field('right')?.id() === current.id()) {
    const left = parent.field('left');
    if (left?.kind() === 'subscript') return pythonStringValue(left.field('subscript')) ?? undefined;
    return left?.text().split('.').pop();
  }
  if (parent.kind() === 'keyword_argument') return parent.field('name')?.text();
  if (parent.kind() === 'pair') return pythonStringValue(parent.field('key'));
  return undefined;
}

function checkPythonCall(node: SgNode, context: RuleContext): void {
  const read = pythonEnvRead(node, context);
  if (!read?.fallback) return;
  const fallback = fallbackValue(read.fallback, 'py');
  if (!fallback) return;
  report({ node, envNames: [read.name], target: pythonTargetOf(node), ...fallback }, context, 'py');
}

function checkPythonOr(node: SgNode, context: RuleContext): void {
  if (!node.children().some((c) => c.kind() === 'or')) return;
  const parent = node.parent();
  if (parent?.kind() === 'boolean_operator' && parent.children().some((c) => c.kind() === 'or')) return;
  const operands: SgNode[] = [];
  const flatten = (n: SgNode) => {
    if (n.kind() === 'boolean_operator' && n.children().some((c) => c.kind() === 'or')) n.children().filter((c) => c.isNamed()).forEach(flatten);
    else operands.push(n);
  };
  flatten(node);
  const last = operands.pop();
  const fallback = fallbackValue(last, 'py');
  if (!fallback) return;
  // `os.getenv("A", "x") or "y"`: the inner default is reported at the call; here only reads without one.
  const reads = operands.map((o) => pythonEnvRead(o, context)).filter((r) => r && !r.fallback);
  if (reads.length === 0) return;
  report({ node, envNames: reads.map((r) => r!.name), target: pythonTargetOf(node), ...fallback }, context, 'py');
}

/** pydantic `class Settings(BaseSettings): secret_key: str = "change-in-production"` (also `Field("...")`). */
function checkPythonSettingsClass(node: SgNode, context: RuleContext): void {
  const bases = node.field('superclasses')?.text() ?? '';
  if (!/\bBaseSettings\b/.test(bases)) return;
  const body = node.field('body');
  for (const statement of body?.children() ?? []) {
    const assignment = statement.kind() === 'expression_statement' ? statement.children()[0] : undefined;
    if (assignment?.kind() !== 'assignment' || !assignment.field('type')) continue;
    const field = assignment.field('left')?.text();
    let value = assignment.field('right');
    let envName: string | undefined;
    if (value?.kind() === 'call' && /^(Field|pydantic\.Field)$/.test(value.field('function')?.text() ?? '')) {
      const call: SgNode = value;
      value = positionalArguments(call)[0] ?? keywordArgument(call, 'default') ?? null;
      envName = pythonStringValue(keywordArgument(call, 'env') ?? keywordArgument(call, 'validation_alias') ?? keywordArgument(call, 'alias'));
    }
    const fallback = fallbackValue(value, 'py');
    if (!field || !fallback) continue;
    // pydantic reads the field from the variable of the same name (case-insensitive) unless told otherwise.
    report({ node: assignment, envNames: [envName ?? field.toUpperCase()], target: field, ...fallback }, context, 'py');
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript: `process.env.X || 'lit'`, `?? 'lit'`, `||=`, `const { X = 'lit' } = process.env`,
// convict-style `{ env: 'X', default: 'lit' }`.

function unwrapTs(node: SgNode): SgNode {
  let current = node;
  while (['parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression'].includes(String(current.kind()))) {
    const inner = current.children().find((c) => c.isNamed());
    if (!inner) break;
    current = inner;
  }
  return current;
}

const ENV_OBJECT = /^(process\.env|import\.meta\.env|Bun\.env)$/;

function tsEnvName(node: SgNode): string | undefined {
  const expression = unwrapTs(node);
  if (expression.kind() === 'member_expression' && ENV_OBJECT.test(expression.field('object')?.text() ?? '')) {
    return expression.field('property')?.text();
  }
  if (expression.kind() === 'subscript_expression' && ENV_OBJECT.test(expression.field('object')?.text() ?? '')) {
    return tsStringValue(expression.field('index'));
  }
  if (expression.kind() === 'call_expression' && expression.field('function')?.text() === 'Deno.env.get') {
    return tsStringValue(expression.field('arguments')?.children().find((c) => c.isNamed()));
  }
  return undefined;
}

function tsTargetOf(node: SgNode): string | undefined {
  let current = node;
  let parent = current.parent();
  while (parent && ['parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression'].includes(String(parent.kind()))) {
    current = parent;
    parent = current.parent();
  }
  if (!parent) return undefined;
  if (parent.kind() === 'variable_declarator' && parent.field('name')?.kind() === 'identifier') return parent.field('name')?.text();
  if (parent.kind() === 'pair') return parent.field('key')?.text().replace(/^['"`]|['"`]$/g, '');
  if (parent.kind() === 'assignment_expression') return parent.field('left')?.text().split('.').pop();
  if (parent.kind() === 'public_field_definition' || parent.kind() === 'field_definition') return parent.field('name')?.text();
  return undefined;
}

const LOGICAL_FALLBACK = new Set(['||', '??']);

function operatorOf(node: SgNode): string | undefined {
  return node.field('operator')?.text() ?? node.children().find((c) => !c.isNamed() && LOGICAL_FALLBACK.has(c.text()))?.text();
}

function checkTsLogical(node: SgNode, context: RuleContext): void {
  if (!LOGICAL_FALLBACK.has(operatorOf(node) ?? '')) return;
  const parent = node.parent();
  if (parent?.kind() === 'binary_expression' && LOGICAL_FALLBACK.has(operatorOf(parent) ?? '')) return;
  const operands: SgNode[] = [];
  const flatten = (n: SgNode) => {
    const inner = unwrapTs(n);
    if (inner.kind() === 'binary_expression' && LOGICAL_FALLBACK.has(operatorOf(inner) ?? '')) {
      flatten(inner.field('left')!);
      flatten(inner.field('right')!);
    } else operands.push(inner);
  };
  flatten(node);
  const fallback = fallbackValue(operands.pop(), 'ts');
  if (!fallback) return;
  const envNames = operands.map(tsEnvName).filter((n): n is string => Boolean(n));
  if (envNames.length === 0) return;
  report({ node, envNames, target: tsTargetOf(node), ...fallback }, context, 'ts');
}

function checkTsAugmented(node: SgNode, context: RuleContext): void {
  if (!/^(\|\|=|\?\?=)$/.test(node.field('operator')?.text() ?? node.children()[1]?.text() ?? '')) return;
  const envName = tsEnvName(node.field('left')!);
  const fallback = fallbackValue(node.field('right'), 'ts');
  if (!envName || !fallback) return;
  report({ node, envNames: [envName], ...fallback }, context, 'ts');
}

/** `const { JWT_SECRET = 'dev', SESSION_KEY: sessionKey = 'x' } = process.env`. */
function checkTsDestructuring(node: SgNode, context: RuleContext): void {
  const pattern = node.field('name');
  const value = node.field('value');
  if (pattern?.kind() !== 'object_pattern' || !value || !ENV_OBJECT.test(unwrapTs(value).text())) return;
  for (const property of pattern.children()) {
    if (property.kind() === 'object_assignment_pattern') {
      const name = property.field('left')?.text();
      const fallback = fallbackValue(property.field('right'), 'ts');
      if (name && fallback) report({ node: property, envNames: [name], ...fallback }, context, 'ts');
    } else if (property.kind() === 'pair_pattern' && property.field('value')?.kind() === 'assignment_pattern') {
      const assignment = property.field('value')!;
      const fallback = fallbackValue(assignment.field('right'), 'ts');
      const name = property.field('key')?.text().replace(/^['"`]|['"`]$/g, '');
      if (name && fallback) report({ node: property, envNames: [name], target: assignment.field('left')?.text(), ...fallback }, context, 'ts');
    }
  }
}

/** convict-style schema entry: `{ doc: '...', default: 'dev-secret', env: 'JWT_SECRET' }`. */
function checkTsSchemaEntry(node: SgNode, context: RuleContext): void {
  let envName: string | undefined;
  let defaultNode: SgNode | undefined;
  for (const pair of node.children()) {
    if (pair.kind() !== 'pair') continue;
    const key = pair.field('key')?.text().replace(/^['"`]|['"`]$/g, '');
    if (key === 'env') envName = tsStringValue(pair.field('value'));
    if (key === 'default') defaultNode = pair.field('value') ?? undefined;
  }
  if (!envName || !defaultNode) return;
  const fallback = fallbackValue(defaultNode, 'ts');
  if (fallback) report({ node: defaultNode.parent() ?? node, envNames: [envName], target: tsTargetOf(node), ...fallback }, context, 'ts');
}

export default defineRule({
  meta: {
    id: 'security/insecure-default-secret',
    title: 'Secret setting falls back to a hard-coded value',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A secret read from the environment with a literal fallback (`os.getenv("SESSION_SECRET", "change-me")`, `process.env.JWT_SECRET || "dev"`).',
    why:
      'When the variable is missing in production, nothing fails: the application starts and signs sessions and tokens with ' +
      'a value that is in the repository, so anyone who has seen the source can forge a login (seed 002: `SESSION_SECRET` ' +
      'defaulting to "super-secret-key-change-me"; seed 001: a JWT secret defaulting to "change-in-production"). Signing ' +
      'material (SECRET, JWT, session/signing/encryption keys, passwords, salts) is reported whatever the literal says. ' +
      'Credentials the app presents to other services (API keys, access tokens) are reported only when the fallback looks ' +
      'usable: a placeholder such as "your-token-here" authenticates nowhere. Not reported: fallbacks to an empty string, ' +
      '`None`/`undefined`, another environment variable or a generated value; non-secret settings (`PORT`, `JWT_ALGORITHM`, ' +
      '`SECRET_KEY_FILE`, `TOKEN_URL`, browser-public `NEXT_PUBLIC_*`/`VITE_*`); defaults guarded by a production check that ' +
      'raises or exits, or used only in the development branch of an environment conditional; test files, local/dev/test ' +
      'settings files and example code.',
    recommendation:
      'Read the secret without a default and fail at startup when it is missing or still a known placeholder ' +
      '(`SESSION_SECRET = os.environ["SESSION_SECRET"]`, `if (!process.env.JWT_SECRET) throw new Error("JWT_SECRET is required")`; ' +
      'pydantic: declare the field without a default). Keep development values in an untracked `.env` file.',
    examples: [
      {
        language: 'py',
        bad: 'import os\n\nSESSION_SECRET = os.getenv("SESSION_SECRET", "super-secret-key-change-me")\n',
        good: 'import os\n\nSESSION_SECRET = os.getenv("SESSION_SECRET")\nif not SESSION_SECRET:\n    raise ValueError("SESSION_SECRET must be set")\n',
      },
      {
        language: 'ts',
        bad: "export const jwtSecret = process.env.JWT_SECRET || 'dev-secret';\n",
        good: "const jwtSecret = process.env.JWT_SECRET;\nif (!jwtSecret) throw new Error('JWT_SECRET is required');\nexport { jwtSecret };\n",
      },
    ],
    references: [
      'seed 002 (SESSION_SECRET default), seed 001 (default JWT secret "change-in-production")',
      'Semgrep python.django.security.audit.django-secret-key, javascript.express.security.audit.express-session-hardcoded-secret',
      'Bandit B105 hardcoded_password_string',
      'CWE-1188 Insecure Default Initialization of Resource',
    ],
    cwe: ['CWE-798', 'CWE-1188'],
    nosec: ['B105', 'B106'],
  },
  // Environment reads: os.environ/getenv, pydantic settings, decouple, process.env, import.meta.env, convict `env:`.
  fileFilter: /environ|getenv|BaseSettings|decouple|\.env\b|\benv\s*:/,
  visitors: {
    py: {
      call: checkPythonCall,
      boolean_operator: checkPythonOr,
      class_definition: checkPythonSettingsClass,
    },
    ts: {
      binary_expression: checkTsLogical,
      augmented_assignment_expression: checkTsAugmented,
      variable_declarator: checkTsDestructuring,
      object: checkTsSchemaEntry,
    },
  },
});
