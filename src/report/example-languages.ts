// How reporters show a rule example's language: the Markdown fence and the human name.
export const EXAMPLE_FENCE: Record<string, string> = {
  py: 'python',
  ts: 'typescript',
  sql: 'sql',
  compose: 'yaml',
  docker: 'dockerfile',
  env: 'dotenv',
  text: '',
};

export const RULE_LANGUAGE_NAME: Record<string, string> = {
  py: 'Python',
  ts: 'TypeScript/JavaScript',
  sql: 'SQL DDL and Prisma schemas',
  compose: 'docker-compose files',
  docker: 'Dockerfiles',
  env: '.env files',
  repo: 'the repository as a whole',
  any: 'any text file',
};
