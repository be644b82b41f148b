import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { pyFromStaticFile } from '../../_shared/python-static-paths.js';
import {
  pyBindingsFor,
  pyNameValues,
  pyQualifiedName,
  pyStaticBool,
  tsBindingsFor,
  tsExpressionBinding,
  tsResolved,
  type PyBindings,
  type TsBindings,
} from '../../_shared/static-values.js';
import { callArguments, objectProperty } from '../../_shared/typescript.js';
import { PY_REQUEST_INPUT, TS_REQUEST_INPUT, tsValueOrigin } from '../../_shared/untrusted-sources.js';

function short(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/** Loaders that run whatever the data says (pickle opcodes call any importable function). */
const PY_PICKLE_LOADERS = new Map<string, string>([
  ...['pickle', 'cPickle', '_pickle', 'dill', 'cloudpickle'].flatMap((m) =>
    ['load', 'loads', 'Unpickler'].map((f) => [`${m}.${f}`, m === 'cPickle' || m === '_pickle' ? 'pickle' : m] as [string, string]),
  ),
  ['marshal.loads', 'marshal'],
  ['jsonpickle.decode', 'jsonpickle'],
  ['jsonpickle.loads', 'jsonpickle'],
  ['pandas.read_pickle', 'pickle'],
  ['joblib.load', 'pickle'],
]);

/** PyYAML loaders: Safe/Base build plain data; Loader/Unsafe construct any Python object; Full was exploitable before 5.4. */
const YAML_SAFE_LOADER = /^(C?SafeLoader|C?BaseLoader)$/;
const YAML_UNSAFE_LOADER = /^(Loader|CLoader|C?UnsafeLoader)$/;
const YAML_FULL_LOADER = /^C?FullLoader$/;

/** Where the bytes come from, for severity: the request (Critical) or a file at a path fixed by the code (Low). */
function pySourceSeverity(data: SgNode | undefined, bindings: PyBindings, context: RuleContext): Severity | undefined {
  if (!data) return undefined;
  const identifiers = data.kind() === 'identifier' ? [data] : data.findAll({ rule: { kind: 'identifier' } });
  const origins = [data.text(), ...identifiers.flatMap((id) => (pyNameValues(id) ?? []).map((v) => v.text()))];
  if (origins.some((o) => PY_REQUEST_INPUT.test(o) || /\.recv\(/.test(o))) return 'critical';
  if (pyFromStaticFile(data, bindings)) return 'low';
  return context.file.isScript ? 'medium' : undefined;
}

const PY_DUMPS = /\b(pickle|cPickle|_pickle|dill|cloudpickle|marshal|joblib)\.dumps?\(|(^|[^.\w])dumps\(/m;

/** Whether the enclosing class (or the module, outside classes) also pickles data. */
function pyDumpsInSameClass(node: SgNode): boolean {
  const owner = node.ancestors().find((a) => a.kind() === 'class_definition') ?? node.getRoot().root();
  return PY_DUMPS.test(owner.text());
}

/**
 * `pickle.loads(self._cache[key])` where the class keeps `self._cache` as a dict in memory: the
 * process reads back bytes it pickled itself, which nobody else can write.
 */
function pyFromInMemoryStore(data: SgNode | undefined): boolean {
  if (!data) return false;
  const owner = data.ancestors().find((a) => a.kind() === 'class_definition');
  if (!owner) return false;
  const candidates = data.kind() === 'identifier' ? (pyNameValues(data) ?? []) : [data];
  return candidates.length > 0 && candidates.every((value) => {
    if (value.kind() === 'call' && PY_DUMPS.test(value.text())) return true;
    let store: SgNode | null | undefined;
    if (value.kind() === 'subscript') store = value.field('value');
    else if (value.kind() === 'call' && /\.(get|pop)$/.test(value.field('function')?.text() ?? '')) store = value.field('function')?.field('object');
    const attribute = store?.text().match(/^self\.(\w+)$/)?.[1];
    if (!attribute) return false;
    return new RegExp(`self\\.${attribute}\\s*(:[^=\\n]*)?=[^\\n]*(\\{\\}|\\bdict\\(|OrderedDict\\(|defaultdict\\(|LRUCache\\()`).test(owner.text());
  });
}

function pyYamlLoad(node: SgNode, name: string, bindings: PyBindings, context: RuleContext): void {
  const fn = name.slice('yaml.'.length);
  const data = positionalArguments(node)[0] ?? keywordArgument(node, 'stream');
  if (fn === 'unsafe_load' || fn === 'unsafe_load_all') {
    context.report({
      node,
      message: `\`${node.field('function')?.text()}(${short(data?.text() ?? '')})\` constructs arbitrary Python objects from the YAML: a document can run code.`,
      severity: pySourceSeverity(data, bindings, context),
    });
    return;
  }
  if (fn === 'full_load' || fn === 'full_load_all') {
    context.report({
      node,
      message: `\`${node.field('function')?.text()}()\` uses FullLoader, which is not meant for untrusted input (it ran code before PyYAML 5.4); use \`yaml.safe_load()\`.`,
      severity: pySourceSeverity(data, bindings, context) === 'critical' ? 'high' : 'medium',
    });
    return;
  }
  if (fn !== 'load' && fn !== 'load_all') return;
  const loader = keywordArgument(node, 'Loader') ?? positionalArguments(node)[1];
  if (!loader) {
    context.report({
      node,
      message: `\`${node.field('function')?.text()}(${short(data?.text() ?? '')})\` without \`Loader=\`: PyYAML before 5.1 then constructs arbitrary Python objects (and 6.0 rejects the call); use \`yaml.safe_load()\`.`,
      severity: pySourceSeverity(data, bindings, context),
    });
    return;
  }
  // `Loader=yaml.CSafeLoader`, `Loader=SafeLoader`; a custom or computed loader is left alone unless it names an unsafe one.
  const loaderName = (pyQualifiedName(loader, bindings) ?? loader.text()).split('.').pop() ?? '';
  if (YAML_SAFE_LOADER.test(loaderName) || /Safe/.test(loader.text())) return;
  if (YAML_UNSAFE_LOADER.test(loaderName)) {
    context.report({
      node,
      message: `\`${node.field('function')?.text()}(..., Loader=${loader.text()})\` constructs arbitrary Python objects from the YAML: a document can run code.`,
      severity: pySourceSeverity(data, bindings, context),
    });
  } else if (YAML_FULL_LOADER.test(loaderName)) {
    context.report({
      node,
      message: `\`${node.field('function')?.text()}(..., Loader=${loader.text()})\`: FullLoader is not meant for untrusted input (it ran code before PyYAML 5.4); use \`SafeLoader\`.`,
      severity: pySourceSeverity(data, bindings, context) === 'critical' ? 'high' : 'medium',
    });
  }
}

function pythonCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee || !/(load|loads|load_all|Unpickler|decode|read_pickle)$/.test(callee.text())) return;
  const bindings = pyBindingsFor(context.file, node, context.source);
  // Only names that go back to an import: a local `yaml = YAML(typ="safe")` (ruamel) is not PyYAML.
  if (!bindings.has(callee.text().split('.')[0])) return;
  const name = pyQualifiedName(callee, bindings);
  if (!name) return;
  if (name.startsWith('yaml.')) {
    pyYamlLoad(node, name, bindings, context);
    return;
  }
  const data = positionalArguments(node)[0];
  const format = PY_PICKLE_LOADERS.get(name);
  if (format) {
    const severity = pySourceSeverity(data, bindings, context);
    // A cache or serializer class that also pickles: it reads back what it stored, so the risk is whoever can write that store.
    const roundTrip = severity !== 'critical' && pyDumpsInSameClass(node);
    if (roundTrip && pyFromInMemoryStore(data)) return;
    // marshal reading back its own output runs no code; only outside data is worth a finding.
    if (roundTrip && format === 'marshal') return;
    context.report({
      node,
      message: roundTrip
        ? `\`${callee.text()}(${short(data?.text() ?? '')})\` unpickles what this class stored: anyone who can write that store (cache, database, files) runs code in this process.`
        : format === 'marshal'
          ? `\`${callee.text()}(${short(data?.text() ?? '')})\`: marshal is not safe against crafted data (it can crash or corrupt the interpreter); use JSON.`
          : `\`${callee.text()}(${short(data?.text() ?? '')})\` unpickles with ${format}: the data can call any importable function (\`os.system\`) while it loads.`,
      severity: roundTrip ? 'low' : format === 'marshal' && severity === undefined ? 'medium' : severity,
    });
    return;
  }
  if (name === 'torch.load') {
    // Since torch 2.6 `weights_only=True` is the default; only an explicit opt-out unpickles freely.
    if (pyStaticBool(keywordArgument(node, 'weights_only')) !== false) return;
    context.report({
      node,
      message: `\`torch.load(${short(data?.text() ?? '')}, weights_only=False)\` unpickles the checkpoint: a crafted model file runs code while it loads.`,
      severity: pySourceSeverity(data, bindings, context),
    });
    return;
  }
  if (name === 'numpy.load') {
    if (pyStaticBool(keywordArgument(node, 'allow_pickle')) !== true) return;
    context.report({
      node,
      message: `\`${callee.text()}(${short(data?.text() ?? '')}, allow_pickle=True)\` unpickles object arrays: a crafted .npy file runs code while it loads.`,
      severity: pySourceSeverity(data, bindings, context),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

/** Packages whose "deserialize" evaluates functions embedded in the data (`_$$ND_FUNC$$_`). */
const TS_EVAL_DESERIALIZERS: Record<string, Set<string>> = {
  'node-serialize': new Set(['unserialize']),
  'serialize-to-js': new Set(['deserialize']),
};

function tsSeverity(data: SgNode | undefined, context: RuleContext): Severity | undefined {
  if (!data) return undefined;
  const identifiers = data.kind() === 'identifier' ? [data] : data.findAll({ rule: { kind: 'identifier' } });
  if ([data.text(), ...identifiers.map(tsValueOrigin)].some((o) => TS_REQUEST_INPUT.test(o))) return 'critical';
  return context.file.isScript ? 'medium' : undefined;
}

/** A js-yaml schema that constructs JavaScript functions and regexps: `DEFAULT_FULL_SCHEMA` (v3) or js-yaml-js-types (v4). */
function tsUnsafeYamlSchema(options: SgNode | undefined, bindings: TsBindings): SgNode | undefined {
  const object = tsResolved(options);
  if (object?.kind() !== 'object') return undefined;
  const schema = objectProperty(object, 'schema');
  const resolved = tsResolved(schema);
  if (!schema || !resolved) return undefined;
  if (/\bDEFAULT_FULL_SCHEMA\b/.test(resolved.text())) return schema;
  const names = resolved.kind() === 'identifier' ? [resolved] : resolved.findAll({ rule: { kind: 'identifier' } });
  return names.some((n) => bindings.get(n.text())?.module === 'js-yaml-js-types') ? schema : undefined;
}

function typescriptCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (!callee || !/(unserialize|deserialize|load|loadAll)$/.test(callee.text())) return;
  const bindings = tsBindingsFor(context.file, node, context.source);
  const binding = tsExpressionBinding(callee, bindings);
  if (!binding) return;
  const args = callArguments(node);
  if (TS_EVAL_DESERIALIZERS[binding.module]?.has(binding.imported)) {
    context.report({
      node,
      message: `\`${callee.text()}(${short(args[0]?.text() ?? '')})\` (${binding.module}) evaluates functions embedded in the data: a crafted payload runs code.`,
      severity: tsSeverity(args[0], context),
    });
    return;
  }
  if (binding.module === 'js-yaml' && (binding.imported === 'load' || binding.imported === 'loadAll')) {
    const schema = tsUnsafeYamlSchema(args[binding.imported === 'loadAll' ? args.length - 1 : 1], bindings);
    if (!schema) return;
    context.report({
      node,
      message: `\`${callee.text()}()\` with \`schema: ${short(schema.text())}\` builds JavaScript functions from \`!!js/function\` tags: a crafted document runs code.`,
      severity: tsSeverity(args[0], context),
    });
  }
}

export default defineRule({
  meta: {
    id: 'security/unsafe-deserialization',
    title: 'Deserialization that can run code',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'medium',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'Data is loaded with a format that can run code: pickle/marshal/dill, `yaml.load` with an unsafe loader, `node-serialize`, js-yaml with JS types.',
    why:
      'Pickle (and dill, joblib, `pandas.read_pickle`, `torch.load(weights_only=False)`, `numpy.load(allow_pickle=True)`) calls ' +
      'whatever function the data names while it loads: one crafted file or message runs `os.system` in the service. PyYAML\'s ' +
      '`Loader`/`UnsafeLoader` (and `yaml.load` without a loader before 5.1) construct arbitrary Python objects; `node-serialize` ' +
      'evaluates functions embedded in JSON. `marshal.loads` is Medium (crafted data crashes or corrupts the interpreter). Critical when the bytes visibly come from the request or a socket; Low when they ' +
      'come from a file at a path fixed by the code, or in a cache/serializer class that pickles too (it reads back what it stored: ' +
      'safe while nobody else can write the store); FullLoader is Medium (exploitable before PyYAML 5.4, not meant for untrusted input). Not reported: `yaml.safe_load`, ' +
      '`Loader=SafeLoader`/`CSafeLoader`/`BaseLoader`, `json.loads`, `pickle.dumps`, `torch.load` without `weights_only=False` ' +
      '(safe by default since torch 2.6), `marshal.load(f)` on files (reading .pyc bytecode), marshal reading back what its own class dumped, a class unpickling ' +
      'what it pickled into its own in-memory dict (`self._cache[key]`), `shelve.open` (the service\'s own store), `v8.deserialize` (builds data, runs no code), ' +
      'js-yaml `load` with the default schema (safe in js-yaml 4; the version lives in package.json) and test files.',
    recommendation:
      'Exchange data as JSON (or msgpack/protobuf) and validate it. For YAML use `yaml.safe_load()` / js-yaml 4 `load()` with the ' +
      'default schema. For model weights use safetensors or `torch.load(path, weights_only=True)`. If pickle is unavoidable, ' +
      'only load files the service wrote itself to a location nobody else can write, and sign them (HMAC) to detect tampering.',
    examples: [
      {
        language: 'py',
        bad: 'import pickle\n\ndef restore_session(blob: bytes):\n    return pickle.loads(blob)\n',
        good: 'import json\n\ndef restore_session(blob: bytes):\n    return json.loads(blob)\n',
      },
      {
        language: 'ts',
        bad: "import serialize from 'node-serialize';\n\nexport function readPrefs(cookie: string) {\n  return serialize.unserialize(cookie);\n}\n",
        good: 'export function readPrefs(cookie: string) {\n  return JSON.parse(cookie);\n}\n',
      },
    ],
    references: [
      'Bandit B301 pickle, B302 marshal, B506 yaml_load',
      'Semgrep python.lang.security.deserialization.avoid-pickle, python.lang.security.deserialization.avoid-pyyaml-load',
      'Semgrep javascript.lang.security.audit.unsafe-serialize-javascript, CVE-2017-5941 (node-serialize)',
      'PyTorch torch.load documentation (weights_only)',
      'OWASP Deserialization Cheat Sheet',
    ],
    cwe: ['CWE-502'],
    nosec: ['B301', 'B302', 'B506'],
  },
  fileFilter: /pickle|marshal|\bdill\b|\byaml\b|weights_only|joblib|allow_pickle|node-serialize|serialize-to-js/,
  visitors: {
    py: { call: pythonCall },
    ts: { call_expression: typescriptCall },
  },
});
