// Builds the labelled secret-detection corpus from the transcribed cases: one text file per source
// group under files/, and labels.json saying, for every case, its lines, whether it holds a secret or a
// look-alike, and where it came from. Deterministic: the random parts (gitleaks' generated secrets) come
// from a seeded generator, so a rebuild writes the same bytes.
//
//   node bench/secrets-corpus/build.mjs          # rewrite files/ and labels.json
//   node bench/secrets-corpus/build.mjs --check  # exit 1 when files/ or labels.json are stale
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DETECT_SECRETS, detectSecretsGroups } from './detect-secrets-cases.mjs';
import { GITLEAKS, gitleaksGroups } from './gitleaks-cases.mjs';

/** Each source: its provenance and its groups of cases (one corpus file per group). */
const SOURCES = [
  { name: 'gitleaks', meta: GITLEAKS, groups: gitleaksGroups },
  { name: 'detect-secrets', meta: DETECT_SECRETS, groups: detectSecretsGroups },
];

const HERE = dirname(fileURLToPath(import.meta.url));
export const CORPUS_FILES = join(HERE, 'files');
export const LABELS_PATH = join(HERE, 'labels.json');

/**
 * Three of the 27 contexts gitleaks' utils.GenerateSampleSecrets writes a secret into (its templates,
 * same names): a Python/JS assignment, a YAML mapping and an INI/.env line.
 */
const CONTEXTS = {
  'python - double quote': (i, s) => `${i}Token = "${s}"`,
  'yaml - singleline - unquoted': (i, s) => `${i}_token: ${s}`,
  'ini - unquoted1': (i, s) => `${i}Token=${s}`,
};

/** mulberry32: small, fast and good enough to draw test strings. */
function seededRandom(seedText) {
  let seed = 2166136261;
  for (const char of seedText) seed = Math.imul(seed ^ char.charCodeAt(0), 16777619);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLASS_ESCAPES = { w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_', d: '0123456789' };

/** The characters of a `[...]` class body: ranges, `\w`, `\d` and escaped literals. */
function classCharacters(body) {
  const chars = [];
  for (let i = 0; i < body.length; i += 1) {
    let char = body[i];
    if (char === '\\') {
      const next = body[++i];
      if (CLASS_ESCAPES[next]) { chars.push(...CLASS_ESCAPES[next]); continue; }
      char = next;
    }
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const end = body[i + 2] === '\\' ? body[i + 3] : body[i + 2];
      for (let code = char.charCodeAt(0); code <= end.charCodeAt(0); code += 1) chars.push(String.fromCharCode(code));
      i += body[i + 2] === '\\' ? 3 : 2;
      continue;
    }
    chars.push(char);
  }
  return chars;
}

/**
 * A random string matching `regex`, for the subset gitleaks' cases use: literals, `[...]` classes,
 * `\w`/`\d`, `{n}`/`{n,m}` and one level of `(?:a|b)` alternation of literals (what Go's
 * secrets.NewSecret does for these shapes).
 */
function generator(random) {
  const pick = (items) => items[Math.floor(random() * items.length)];
  return (regex) => {
    let out = '';
    for (let i = 0; i < regex.length;) {
      let draw;
      if (regex[i] === '[') {
        let end = i + 1;
        while (regex[end] !== ']' || regex[end - 1] === '\\') end += 1;
        const chars = classCharacters(regex.slice(i + 1, end));
        draw = () => pick(chars);
        i = end + 1;
      } else if (regex.startsWith('(?:', i)) {
        const end = regex.indexOf(')', i);
        const options = regex.slice(i + 3, end).split('|');
        draw = () => pick(options);
        i = end + 1;
      } else if (regex[i] === '\\') {
        const next = regex[i + 1];
        draw = CLASS_ESCAPES[next] ? () => pick([...CLASS_ESCAPES[next]]) : () => next;
        i += 2;
      } else {
        const literal = regex[i];
        draw = () => literal;
        i += 1;
      }
      let count = 1;
      const quantifier = /^\{(\d+)(?:,(\d+))?\}/.exec(regex.slice(i));
      if (quantifier) {
        const min = Number(quantifier[1]);
        const max = quantifier[2] === undefined ? min : Number(quantifier[2]);
        count = min + Math.floor(random() * (max - min + 1));
        i += quantifier[0].length;
      }
      for (let n = 0; n < count; n += 1) out += draw();
    }
    return out;
  };
}

/** @typedef {ReturnType<typeof caseKit>} CaseKit */
function caseKit(seedText) {
  const g = generator(seededRandom(seedText));
  return {
    g,
    /** gitleaks' newPlausibleSecret: a generated secret that holds at least one digit 1-9. */
    plausible(regex) {
      for (;;) {
        const secret = g(regex);
        if (/[1-9]/.test(secret)) return secret;
      }
    },
    sample: (identifier, secret) => `${identifier}_api_token = "${secret}"`,
    samples: (identifier, secret, meta) =>
      Object.entries(CONTEXTS).map(([context, write]) => ({ text: write(identifier, secret), label: 'secret', origin: 'tps', context, ...meta })),
    tp: (text, meta) => ({ text, label: 'secret', origin: 'tps', ...meta }),
    fp: (text, kind, meta) => ({ text, label: 'lookalike', kind, origin: 'fps', ...meta }),
    numeric: (size) => `[0-9]{${size}}`,
    hex: (size) => `[a-f0-9]{${size}}`,
    alphaNumeric: (size) => `[a-z0-9]{${size}}`,
    alphaNumericExtendedShort: (size) => `[a-z0-9_-]{${size}}`,
    alphaNumericExtended: (size) => `[a-z0-9=_\\-]{${size}}`,
    alphaNumericExtendedLong: (size) => `[a-z0-9\\/=_\\+\\-]{${size}}`,
  };
}

/** Lays the cases out one after another, a blank line between two, and records each one's lines. */
function layOut(cases) {
  const lines = [];
  const labels = [];
  for (const { text, ...label } of cases) {
    if (lines.length > 0) lines.push('');
    const line = lines.length + 1;
    const caseLines = text.split('\n');
    lines.push(...caseLines);
    labels.push({ line, endLine: line + caseLines.length - 1, ...label });
  }
  return { content: lines.join('\n') + '\n', labels };
}

export function buildCorpus() {
  const files = {};
  const labels = {
    description: 'Labelled secret-detection corpus: see bench/secrets-corpus/README.md. label "secret" = a real-format secret a scanner must report; "lookalike" = a placeholder, example or non-secret a scanner must skip.',
    sources: Object.fromEntries(SOURCES.map((source) => [source.name, source.meta])),
    files: {},
  };
  for (const source of SOURCES) {
    // One seeded generator per source: the same cases always give the same bytes.
    for (const definition of source.groups(caseKit(source.name))) {
      const path = `${source.name}/${definition.file.includes('.') ? definition.file : `${definition.file}.txt`}`;
      const { content, labels: cases } = layOut(definition.cases);
      files[path] = content;
      labels.files[path] = {
        source: source.name, path: `${source.meta.folder}/${definition.source}`, commit: definition.commit,
        provider: definition.provider, category: definition.category, skipped: definition.skipped ?? [], cases,
      };
    }
  }
  return { files, labels };
}

function main() {
  const check = process.argv.includes('--check');
  const { files, labels } = buildCorpus();
  const labelsText = JSON.stringify(labels, null, 2) + '\n';
  if (check) {
    const stale = Object.entries(files).filter(([path, content]) => !existsSync(join(CORPUS_FILES, path)) || readFileSync(join(CORPUS_FILES, path), 'utf8') !== content).map(([path]) => path);
    if (!existsSync(LABELS_PATH) || readFileSync(LABELS_PATH, 'utf8') !== labelsText) stale.push('labels.json');
    if (stale.length > 0) {
      console.error(`stale: ${stale.join(', ')} (run node bench/secrets-corpus/build.mjs)`);
      process.exit(1);
    }
    console.log('corpus up to date');
    return;
  }
  rmSync(CORPUS_FILES, { recursive: true, force: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(CORPUS_FILES, path)), { recursive: true });
    writeFileSync(join(CORPUS_FILES, path), content);
  }
  writeFileSync(LABELS_PATH, labelsText);
  const cases = Object.values(labels.files).flatMap((file) => file.cases);
  console.log(`${Object.keys(files).length} files, ${cases.filter((c) => c.label === 'secret').length} secrets, ${cases.filter((c) => c.label === 'lookalike').length} look-alikes`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
