import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { dockerfileOf, finalStage, isTemplateDockerfile, keyValuePairs, locate, splitWords, stageChain, type DockerInstruction, type Dockerfile, type DockerStage } from '../../_shared/dockerfile.js';
import { looksLikePlaceholder, namesALocation, secretKindOfName } from '../../_shared/secret-names.js';

/** `.env`, `.env.production`; not the committed templates (`.env.example`, `.env.sample`…). */
const ENV_FILE = /^\.env(\.(?!(example|sample|template|tmpl|dist|defaults?|schema|test|ci|docker\.example)$)[\w.-]+)?$/i;
const KEY_FILE = /^(id_(rsa|dsa|ecdsa|ed25519)|[\w.-]*(private|priv|key)[\w.-]*\.pem|[\w.-]+\.(key|p12|pfx|jks|keystore)|credentials\.json|client_secrets?[\w.-]*\.json|[\w.-]*service[-_]?account[\w.-]*\.json|\.netrc|\.git-credentials|\.pgpass)$/i;

/** What a copied source is, when it is a file that holds secrets. */
function secretFileKind(source: string): string | undefined {
  if (/[*?[\]]/.test(source) || /^(https?|git):\/\//.test(source) || source.includes('$')) return undefined;
  const trimmed = source.replace(/\/+$/, '');
  const base = trimmed.split('/').pop() ?? trimmed;
  if (ENV_FILE.test(base)) return 'environment file';
  if (base === 'credentials' && /(^|\/)\.aws\/credentials$/.test(trimmed)) return 'AWS credentials file';
  if (/^id_(rsa|dsa|ecdsa|ed25519)$/i.test(base) || /\.(pem|key|p12|pfx|jks|keystore)$/i.test(base)) return KEY_FILE.test(base) ? 'private key' : undefined;
  if (KEY_FILE.test(base)) return 'credentials file';
  return undefined;
}

/** A value that holds nothing: empty, a boolean, a path to a mounted secret, a placeholder. */
function isHarmlessValue(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '' || /^(true|false|yes|no|on|off|0|1)$/i.test(trimmed)) return true;
  if (/^\/(run|var\/run)\/secrets\//.test(trimmed) || /^\/[\w./-]+$/.test(trimmed)) return true;
  return looksLikePlaceholder(trimmed);
}

/** `$NAME` / `${NAME}` alone. */
function soleReference(value: string): string | undefined {
  return /^\$\{?(\w+)\}?$/.exec(value.trim())?.[1];
}

/** ARG names a `RUN --mount=type=secret` refers to (`id=npm_token`, `env=NPM_TOKEN`): the secret already travels as a mount. */
function secretMountNames(file: Dockerfile): Set<string> {
  const names = new Set<string>();
  for (const instruction of file.instructions) {
    for (const flag of instruction.flags) {
      if (flag.name !== 'mount' || !/(^|,)type=secret(,|$)/.test(flag.value)) continue;
      for (const option of flag.value.split(',')) {
        const [key, value] = option.split('=');
        if (value && /^(id|env|target)$/.test(key)) names.add((value.split('/').pop() ?? value).toUpperCase().replace(/[^A-Z0-9]/g, '_'));
      }
    }
  }
  return names;
}

function declaredArgs(stage: DockerStage): Set<string> {
  const names = new Set<string>();
  for (const current of stageChain(stage)) {
    for (const instruction of current.instructions) {
      if (instruction.keyword === 'ARG') for (const { name } of keyValuePairs(instruction)) names.add(name);
    }
  }
  return names;
}

function reportAt(context: RuleContext, instruction: DockerInstruction, needle: string, message: string, severity?: Severity, secrets?: string[]): void {
  context.report({ range: locate(instruction, needle), message, ...(severity ? { severity } : {}), ...(secrets ? { secrets } : {}) });
}

export default defineRule({
  meta: {
    id: 'infrastructure/secret-in-image',
    title: 'Secret baked into the container image',
    area: 'infrastructure',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['docker'],
    since: '0.1.0',
    description: 'A secret is written into the image: a secret-named `ENV`/`ARG`, or a `.env`, private key or credentials file copied in.',
    why:
      'Everything an image contains is readable by whoever can pull it: `ENV` values are in the image config (`docker inspect`), ' +
      'a value given with `--build-arg` is recorded in `docker history` for every `RUN` after the `ARG` and in max-mode ' +
      'provenance, and a file copied in stays in its layer even if a later `RUN rm` deletes it. Registries, CI caches and ' +
      'laptops all end up holding the secret. Reported: `ENV`/`ARG` whose name says secret (PASSWORD, SECRET, TOKEN, API_KEY, ' +
      'PRIVATE_KEY…) with a literal value; an `ENV` that copies a build argument into the runtime environment; a secret-named ' +
      '`ARG` without a value too (its value comes from `--build-arg`, which is exactly the leak; Docker\'s own build check ' +
      'SecretsUsedInArgOrEnv flags it) — Medium when it sits in a builder stage, whose history is not shipped; `COPY`/`ADD` of ' +
      '`.env` files, SSH/TLS private keys, `credentials.json`, service-account keys, `.netrc`, `.pgpass` into the final image. ' +
      'Not reported: names that point at a secret (`*_FILE`, `*_PATH`, `*_URL`, `*_ID`), empty values, placeholders ' +
      '(`changeme`, `<token>`), paths (`/run/secrets/db_password`), ARGs whose secret is handed over with `RUN ' +
      '--mount=type=secret`, ARGs declared before the first `FROM` and never redeclared (usable in `FROM` lines only), `.env.example` ' +
      'and other templates, certificates (`ca.pem`, `fullchain.pem`), globs (`COPY certs/*.pem`) and `COPY . .` (whether it ' +
      'carries `.env` depends on `.dockerignore`), and files copied into builder stages only. Values are masked in every output.',
    recommendation:
      'Pass build-time secrets as BuildKit secret mounts (`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci`, built with ' +
      '`docker build --secret id=npm_token,env=NPM_TOKEN`), and runtime secrets from the orchestrator (compose `environment:`/`secrets:`, ' +
      'Kubernetes Secrets) instead of `ENV`. Add `.env`, keys and credential files to `.dockerignore`. Rotate any secret that ' +
      'was already pushed in an image.',
    examples: [
      {
        language: 'docker',
        bad: 'FROM node:20-slim\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci\n',
        good: 'FROM node:20-slim\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc\n',
      },
      {
        language: 'docker',
        // Assembled so that this file holds no key-shaped string itself (security/hardcoded-secret).
        bad: `FROM python:3.12-slim\nENV STRIPE_API_KEY=${'sk_live_'}51HxQe2KkTr9aB3cD4eF5gH6i\nCOPY .env /app/.env\n`,
        good: 'FROM python:3.12-slim\nENV STRIPE_API_KEY=\nCOPY .env.example /app/.env.example\n',
      },
    ],
    references: [
      'Docker build checks: SecretsUsedInArgOrEnv',
      'Docker docs: Build secrets (`RUN --mount=type=secret`)',
      'hadolint / Trivy DS031 (secrets passed via ENV or ARG)',
      'CIS Docker Benchmark 4.10 (do not store secrets in Dockerfiles)',
    ],
    cwe: ['CWE-538', 'CWE-798'],
  },
  fileFilter: /^\s*(ENV|ARG|COPY|ADD)\s/im,
  onFile(context) {
    const file = dockerfileOf(context);
    const final = finalStage(file);
    if (!final || isTemplateDockerfile(context.file.path, file)) return;
    const mounted = secretMountNames(file);
    const shipped = new Set(stageChain(final));

    const checkPairs = (instruction: DockerInstruction, stage: DockerStage | undefined) => {
      const args = stage ? declaredArgs(stage) : new Set<string>();
      const copiedArgs = stage ? envCopiedArgs(stage) : new Set<string>();
      for (const { name, value } of keyValuePairs(instruction)) {
        if (!secretKindOfName(name) || namesALocation(name)) continue;
        const keyword = instruction.keyword;
        if (value !== undefined) {
          const reference = soleReference(value);
          if (reference !== undefined) {
            if (keyword === 'ENV' && args.has(reference)) {
              reportAt(context, instruction, name, `ENV ${name} copies build argument ${reference} into the image's environment: anyone who pulls the image can read it`);
            }
            continue;
          }
          if (value.includes('$') || isHarmlessValue(value)) continue;
          reportAt(context, instruction, name, `${keyword} ${name} bakes a literal secret into the image${keyword === 'ARG' ? ' (its default is in the Dockerfile and the build history)' : ' (readable with docker inspect)'}`, undefined, [value]);
          continue;
        }
        if (keyword !== 'ARG' || !stage) continue;
        if (mounted.has(name.toUpperCase()) || copiedArgs.has(name)) continue;
        const inFinal = shipped.has(stage);
        reportAt(
          context,
          instruction,
          name,
          inFinal
            ? `ARG ${name} takes a secret through --build-arg: the value is recorded in the image history; use RUN --mount=type=secret`
            : `ARG ${name} takes a secret through --build-arg in builder stage${stage.name ? ` "${stage.name}"` : ''}: the value stays in its history and build cache; use RUN --mount=type=secret`,
          inFinal ? undefined : 'medium',
        );
      }
    };

    for (const instruction of file.instructions) {
      if (instruction.keyword !== 'ARG' || file.stages.some((s) => s.from === instruction || s.instructions.includes(instruction))) continue;
      // Global ARGs feed FROM lines only; a literal secret there is still written in the file.
      checkPairs(instruction, undefined);
    }
    for (const stage of file.stages) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') checkPairs(instruction, stage);
        else if ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && shipped.has(stage) && !instruction.heredocs.length) {
          const words = instruction.json ?? splitWords(instruction.rest);
          for (const source of words.slice(0, -1)) {
            const kind = secretFileKind(source);
            if (!kind) continue;
            reportAt(context, instruction, source, `${instruction.keyword} puts ${kind} \`${source}\` into the image: it stays in the layer even if deleted later`);
          }
        }
      }
    }
  },
});

/** Build arguments re-exported by a secret-named ENV: that ENV is reported instead (one problem, one finding). */
function envCopiedArgs(stage: DockerStage): Set<string> {
  const names = new Set<string>();
  for (const current of stageChain(stage)) {
    for (const instruction of current.instructions) {
      if (instruction.keyword !== 'ENV') continue;
      for (const { name, value } of keyValuePairs(instruction)) {
        const reference = value === undefined ? undefined : soleReference(value);
        if (reference && secretKindOfName(name) && !namesALocation(name)) names.add(reference);
      }
    }
  }
  return names;
}
