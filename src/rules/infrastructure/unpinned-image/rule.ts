import { defineRule, type RuleContext } from '../../../core/rule.js';
import { textRuleLanguageOf } from '../../../discover/language.js';
import { composeFileOf, interpolate, nodeAt } from '../../_shared/compose.js';
import { rangeOfNode } from '../../_shared/compose-services.js';
import { dockerfileOf, imageReference, instructionRange, isTemplateDockerfile, locate } from '../../_shared/dockerfile.js';

/** Why an image reference floats: untagged or `:latest`, unless a digest pins it. */
function floating(image: string): 'untagged' | 'latest' | undefined {
  const reference = imageReference(image);
  if (reference.digest) return undefined;
  if (reference.tag === undefined) return 'untagged';
  return reference.tag.toLowerCase() === 'latest' ? 'latest' : undefined;
}

function describe(image: string, why: 'untagged' | 'latest'): string {
  return why === 'untagged' ? `image \`${image}\` has no tag (it means :latest)` : `image \`${image}\` is pinned to :latest`;
}

function checkDockerfile(context: RuleContext): void {
  const file = dockerfileOf(context);
  if (isTemplateDockerfile(context.file.path, file)) return;
  for (const stage of file.stages) {
    const image = stage.resolvedImage;
    // Unresolved ARG (set at build time), scratch, or an earlier stage: nothing is pulled.
    if (!image || stage.parent || image.toLowerCase() === 'scratch') continue;
    const why = floating(image);
    if (!why) continue;
    const shown = image === stage.image ? image : `${stage.image}\` → \`${image}`;
    const range = locate(stage.from, stage.image);
    context.report({
      range: range.line === stage.from.line ? range : instructionRange(stage.from),
      message: `FROM ${describe(shown, why)}: rebuilds silently pick up whatever version is current; pin a version tag or an @sha256 digest`,
    });
  }
}

function checkCompose(context: RuleContext): void {
  const file = composeFileOf(context);
  for (const service of file.services) {
    const node = nodeAt(service, ['image']);
    // With `build:`, `image:` names the image this file builds, not one it pulls.
    if (!node || nodeAt(service, ['build']) !== undefined) continue;
    const raw = (node as { value?: unknown }).value;
    if (typeof raw !== 'string') continue;
    const tagPart = raw.slice(Math.max(raw.lastIndexOf('/'), 0));
    // A tag (or digest) chosen by a variable is set per deployment.
    if (/[:@][^:@]*\$/.test(tagPart)) continue;
    const image = interpolate(raw);
    if (!image) continue;
    const why = floating(image);
    if (!why) continue;
    const range = rangeOfNode(file, node);
    if (!range) continue;
    context.report({
      range: { ...range, endLine: range.line, endColumn: range.line === range.endLine ? range.endColumn : range.column + 1 },
      message: `service "${service.name}" ${describe(raw, why)}: each pull may bring a different version; pin a version tag or an @sha256 digest`,
    });
  }
}

export default defineRule({
  meta: {
    id: 'infrastructure/unpinned-image',
    title: 'Container image not pinned to a version',
    area: 'infrastructure',
    severity: 'low',
    type: 'consistency',
    effort: 'small',
    confidence: 'high',
    languages: ['compose', 'docker'],
    since: '0.1.0',
    description: 'A `FROM` or compose `image:` uses `:latest` or no tag, so builds and deployments change version on their own.',
    why:
      'An untagged image means `:latest`, which moves with every upstream release: two builds of the same commit can get a ' +
      'different base (a new major PostgreSQL, a new Node.js, a distribution upgrade), a rollback does not roll the base back, ' +
      'and a broken upstream release reaches production without any change in the repository. Reported: `FROM` lines and ' +
      'compose `image:` values with no tag or with `:latest`, after substituting `ARG` defaults (`ARG TAG=latest` / ' +
      '`FROM app:${TAG}`) and `${VAR:-default}`. Not reported: a specific tag (`postgres:16`, `node:20-alpine`), which is fine, ' +
      'or a digest (`@sha256:…`), which is best; `FROM scratch`; `FROM <earlier stage>`; a `FROM` whose image comes from a ' +
      'build argument without default; compose images whose tag is a variable (`app:${TAG}`, set per deployment) and `image:` ' +
      'next to `build:` (it names the image being built).',
    recommendation:
      'Pin a version tag (`postgres:16.4`, `node:20.17-bookworm-slim`) and, for reproducible builds, its digest ' +
      '(`node:20.17-bookworm-slim@sha256:…`), updated deliberately by Renovate or Dependabot.',
    examples: [
      { language: 'docker', bad: 'FROM python\nCMD ["python", "-m", "app"]\n', good: 'FROM python:3.12-slim\nCMD ["python", "-m", "app"]\n' },
      {
        language: 'compose',
        bad: 'services:\n  cache:\n    image: redis:latest\n',
        good: 'services:\n  cache:\n    image: redis:7.4-alpine\n',
      },
    ],
    references: ['hadolint DL3006 (always tag the version of an image explicitly), DL3007 (using latest is prone to errors)', 'Docker docs: Building best practices (pin base image versions)', 'Trivy misconfiguration DS001 (\':latest\' tag used)'],
  },
  fileFilter: /\b(FROM|image)\b/i,
  onFile(context) {
    if (textRuleLanguageOf(context.file.path) === 'compose') checkCompose(context);
    else checkDockerfile(context);
  },
});
