import { defineRule } from '../../../core/rule.js';

/** CI configurations by file: GitHub Actions, GitLab, CircleCI, Jenkins, Azure, Bitbucket, Travis, Drone, Woodpecker, AppVeyor, Cloud Build, Buildkite. */
const CI_FILES = [
  '.gitlab-ci.yml',
  '.circleci/config.yml',
  'Jenkinsfile',
  'azure-pipelines.yml',
  'bitbucket-pipelines.yml',
  '.travis.yml',
  '.drone.yml',
  '.woodpecker.yml',
  'appveyor.yml',
  'cloudbuild.yaml',
  'cloudbuild.yml',
  '.buildkite/pipeline.yml',
];
const CI_FOLDERS = /^(\.github\/workflows\/[^/]+\.ya?ml|\.woodpecker\/[^/]+\.ya?ml|\.ci\/.+|\.buildkite\/.+)$/;
const CODE = new Set(['python', 'typescript', 'tsx', 'javascript']);

export default defineRule({
  meta: {
    id: 'infrastructure/no-ci',
    title: 'No CI configuration',
    area: 'infrastructure',
    severity: 'medium',
    type: 'enhancement',
    effort: 'medium',
    confidence: 'high',
    languages: ['repo'],
    status: 'preview',
    since: '0.1.0',
    description: 'A repository with application code and no continuous-integration configuration to run its tests on every change.',
    why:
      'Without CI, tests run when someone remembers to run them, so a change that breaks them is found by the next person, ' +
      'or in production (seed 002: "no CI pipeline; tests are run by hand"). CI is also where an audit like this one keeps ' +
      'running on every commit. Recognised: GitHub Actions workflows, `.gitlab-ci.yml`, CircleCI, Jenkinsfile, Azure ' +
      'Pipelines, Bitbucket Pipelines, Travis, Drone, Woodpecker, AppVeyor, Cloud Build, Buildkite, and a `.ci/` folder of ' +
      'scripts. Not reported: repositories without Python or TypeScript/JavaScript code (documentation, configuration).',
    recommendation:
      'Add a pipeline that installs from the lock file and runs the tests on every push and pull request, e.g. ' +
      '`.github/workflows/test.yml` with `npm ci && npm test` or `pip install -r requirements.txt && pytest`; add ' +
      '`npx probity audit --fail-on high` as a step.',
    examples: [
      {
        language: 'text',
        bad: '# (no .github/workflows, .gitlab-ci.yml or other CI file)\n',
        good: '# .github/workflows/test.yml\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n',
      },
    ],
    // Preview: repository rules are new (the project-level hook); on by `--enable <id>` until the project model settles.
    references: ['seed 002 (no CI)', 'RULES.md infrastructure/no-ci'],
  },
  onProject(context) {
    if (!context.files.some((file) => file.language && CODE.has(file.language))) return;
    if (CI_FILES.some((path) => context.exists(path))) return;
    if (context.files.some((file) => CI_FOLDERS.test(file.path)) || context.exists('.github/workflows') || context.exists('.ci')) return;
    context.report({ message: 'No CI configuration (GitHub Actions, GitLab CI, Jenkins…): nothing runs the tests on every change.' });
  },
});
